package io.transflux.cli;

import static io.transflux.testing.ExternalTools.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --actions ''} (a plain S3 bucket) written by the AWS CLI and boto3 as they are: {@code aws s3 cp}
 * of a 20 MB file (a three-part multipart upload with metadata) and boto3's PutObject and multipart
 * {@code upload_fileobj}; ETags, metadata and bytes are checked. Missing tools make their tests skip with the reason.
 */
class ServeWritesClientsTest {

    @TempDir
    static Path dir;
    static Path root;
    static ServeProcess serve;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("data"));
        serve = new ServeProcess("256m", dir.resolve("serve.err"), "--root", root.toString(), "--actions", "");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        serve.close();
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void awsCliCopiesAMultipartFileWithMetadata() throws Exception {
        requireThat(ServeProcess.available("aws", "--version"), "awscli not installed: apt-get install awscli");
        byte[] big = new byte[20_000_000];
        new Random(3).nextBytes(big);
        Path f = dir.resolve("big.bin");
        Files.write(f, big);
        var cp = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3", "cp", "--only-show-errors",
                f.toString(), "s3://data/cli/big.bin", "--endpoint-url", serve.endpoint, "--metadata", "k1=v1");
        assertThat(cp.exit()).as(cp.stderr()).isZero();
        var head = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3api", "head-object",
                "--endpoint-url", serve.endpoint, "--bucket", "data", "--key", "cli/big.bin");
        String json = new String(head.stdout(), StandardCharsets.UTF_8);
        assertThat(head.exit()).as(head.stderr()).isZero();
        assertThat(json).contains("\"ContentLength\": 20000000").contains("\"k1\": \"v1\"").containsPattern(
                "\"ETag\": \"\\\\\"[0-9a-f]{32}-3\\\\\"\"");
        assertThat(md5(Files.readAllBytes(root.resolve("data/cli/big.bin")))).isEqualTo(md5(big));
    }

    @Test
    void boto3PutsAndUploadsMultipart() throws Exception {
        requireThat(ServeProcess.available("python3", "-c", "import boto3"),
                "boto3 not installed: apt-get install python3-boto3");
        String script = String.join("\n",
                "import boto3, sys, io, hashlib",
                "s3 = boto3.client('s3', endpoint_url=sys.argv[1])",
                "body = b'hello boto3\\n' * 1000",
                "r = s3.put_object(Bucket='data', Key='boto/a.txt', Body=body, Metadata={'m': 'x'}, ContentType='text/plain')",
                "assert r['ETag'] == '\"' + hashlib.md5(body).hexdigest() + '\"', r['ETag']",
                "h = s3.head_object(Bucket='data', Key='boto/a.txt')",
                "assert h['Metadata'] == {'m': 'x'} and h['ContentType'] == 'text/plain', h",
                "assert s3.get_object(Bucket='data', Key='boto/a.txt')['Body'].read() == body",
                "cfg = boto3.s3.transfer.TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)",
                "s3.upload_fileobj(io.BytesIO(b'z' * (12 << 20)), 'data', 'boto/big', Config=cfg)",
                "print(s3.head_object(Bucket='data', Key='boto/big')['ETag'])");
        var r = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "python3", "-c", script, serve.endpoint);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8).trim()).matches("\"[0-9a-f]{32}-3\"");
        assertThat(Files.size(root.resolve("data/boto/big"))).isEqualTo(12L << 20);
    }
}
