package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * The templates under {@code deploy/} name what the build makes: the handler classes (which exist and implement the
 * platform's interface), the artifact {@value #ARTIFACT}, the WGOR permissions, and the RIC version serve uses.
 * CloudFormation short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt}) are read as plain scalars.
 */
class DeployTemplatesTest {

    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    static final String ARTIFACT = "connectors/function/target/transflux-function.jar";
    static final ObjectMapper YAML = new YAMLMapper();

    @Test
    void samTemplateDeploysTheLambdaHandlerFromTheFunctionJarWithWgorPermission() throws Exception {
        Path t = REPO.resolve("deploy/aws-sam/template.yaml");
        JsonNode res = YAML.readTree(t.toFile()).get("Resources");
        JsonNode fn = res.get("TransfluxFunction").get("Properties");
        assertThat(res.get("TransfluxFunction").get("Type").asText()).isEqualTo("AWS::Serverless::Function");
        assertHandler(fn.get("Handler").asText(), "com.amazonaws.services.lambda.runtime.RequestStreamHandler");
        assertThat(t.getParent().resolve(fn.get("CodeUri").asText()).normalize()).isEqualTo(REPO.resolve(ARTIFACT));
        assertThat(fn.get("Policies").toString()).contains("s3-object-lambda:WriteGetObjectResponse");
        assertThat(fn.get("Timeout").asInt()).isLessThanOrEqualTo(60);

        JsonNode olap = res.get("ObjectLambdaAccessPoint");
        assertThat(olap.get("Type").asText()).isEqualTo("AWS::S3ObjectLambda::AccessPoint");
        JsonNode conf = olap.get("Properties").get("ObjectLambdaConfiguration");
        assertThat(conf.get("SupportingAccessPoint").asText()).isEqualTo("SupportingAccessPoint.Arn");
        assertThat(res.get("SupportingAccessPoint").get("Type").asText()).isEqualTo("AWS::S3::AccessPoint");
        for (JsonNode f : conf.get("AllowedFeatures")) {
            assertThat(Feature.parseList(f.asText())).hasSize(1);
        }
        JsonNode tc = conf.get("TransformationConfigurations").get(0);
        assertThat(texts(tc.get("Actions"))).contains("GetObject", "HeadObject", "ListObjects", "ListObjectsV2");
        JsonNode lambda = tc.get("ContentTransformation").get("AwsLambda");
        assertThat(lambda.get("FunctionArn").asText()).isEqualTo("TransfluxFunction.Alias");
        assertThat(lambda.get("FunctionPayload").asText()).startsWith("{\"pipeline\":");
    }

    /**
     * The function-URL template (#19): a custom runtime whose bootstrap starts the UrlRuntime main of the function jar,
     * an IAM-authenticated streaming URL, and CloudFront reaching it through a Lambda origin access control, with the
     * invoke permission scoped to that distribution; the function may only read the configured bucket and prefix.
     */
    @Test
    void functionUrlTemplateStreamsThroughACustomRuntimeBehindCloudFrontWithOriginAccessControl() throws Exception {
        Path t = REPO.resolve("deploy/aws-sam/function-url.yaml");
        JsonNode res = YAML.readTree(t.toFile()).get("Resources");
        JsonNode fnRes = res.get("TransfluxUrlFunction");
        JsonNode fn = fnRes.get("Properties");
        assertThat(fnRes.get("Type").asText()).isEqualTo("AWS::Serverless::Function");
        assertThat(fn.get("Runtime").asText()).isEqualTo("provided.al2023");
        assertThat(fnRes.get("Metadata").get("BuildMethod").asText()).isEqualTo("makefile");
        Path code = t.getParent().resolve(fn.get("CodeUri").asText()).normalize();
        String bootstrap = Files.readString(code.resolve("bootstrap"));
        assertThat(Files.isExecutable(code.resolve("bootstrap"))).isTrue();
        assertThat(bootstrap).startsWith("#!/bin/sh").contains(FunctionRuntimeSpec.URL_RUNTIME_MAIN)
                .contains("transflux-function.jar");
        assertThat(Class.forName(FunctionRuntimeSpec.URL_RUNTIME_MAIN).getMethod("main", String[].class)).isNotNull();
        String make = Files.readString(code.resolve("Makefile"));
        assertThat(make).contains("build-TransfluxUrlFunction:");
        java.util.regex.Matcher jar = java.util.regex.Pattern.compile("JAR := (\\S+)").matcher(make);
        assertThat(jar.find()).isTrue();
        assertThat(code.resolve(jar.group(1)).normalize()).isEqualTo(REPO.resolve(ARTIFACT));
        JsonNode env = fn.get("Environment").get("Variables");
        assertThat(env.get("TRANSFLUX_URL_BUCKET").asText()).isEqualTo("BucketName");
        assertThat(env.has("TRANSFLUX_URL_KEY_PREFIX")).isTrue();
        assertThat(env.has("TRANSFLUX_URL_CACHE_CONTROL")).isTrue();
        assertThat(env.get("TRANSFLUX_URL_DEADLINE_SECONDS").asInt()).isLessThan(fn.get("Timeout").asInt());
        assertThat(fn.get("Policies").toString()).contains("s3:GetObject").contains("${BucketName}/${KeyPrefix}*")
                .doesNotContain("WriteGetObjectResponse");

        JsonNode url = res.get("TransfluxUrl");
        assertThat(url.get("Type").asText()).isEqualTo("AWS::Lambda::Url");
        assertThat(url.get("Properties").get("AuthType").asText()).isEqualTo("AWS_IAM");
        assertThat(url.get("Properties").get("InvokeMode").asText()).isEqualTo("RESPONSE_STREAM");

        JsonNode oac = res.get("UrlOriginAccessControl");
        assertThat(oac.get("Type").asText()).isEqualTo("AWS::CloudFront::OriginAccessControl");
        JsonNode oacConf = oac.get("Properties").get("OriginAccessControlConfig");
        assertThat(oacConf.get("OriginAccessControlOriginType").asText()).isEqualTo("lambda");
        assertThat(oacConf.get("SigningBehavior").asText()).isEqualTo("always");
        assertThat(oacConf.get("SigningProtocol").asText()).isEqualTo("sigv4");

        JsonNode dist = res.get("Distribution").get("Properties").get("DistributionConfig");
        JsonNode origin = dist.get("Origins").get(0);
        assertThat(origin.get("OriginAccessControlId").asText()).isEqualTo("UrlOriginAccessControl.Id");
        assertThat(origin.get("DomainName").toString()).contains("TransfluxUrl.FunctionUrl");
        JsonNode behaviour = dist.get("DefaultCacheBehavior");
        assertThat(behaviour.get("TargetOriginId").asText()).isEqualTo(origin.get("Id").asText());
        assertThat(texts(behaviour.get("AllowedMethods"))).containsExactly("GET", "HEAD");

        JsonNode perm = res.get("CloudFrontInvokeUrlPermission").get("Properties");
        assertThat(perm.get("Action").asText()).isEqualTo("lambda:InvokeFunctionUrl");
        assertThat(perm.get("Principal").asText()).isEqualTo("cloudfront.amazonaws.com");
        assertThat(perm.get("FunctionUrlAuthType").asText()).isEqualTo("AWS_IAM");
        assertThat(perm.get("SourceArn").asText()).contains(":distribution/${Distribution}");
    }

    @Test
    void serverlessDevsTemplateDeploysTheFcHandlerFromTheFunctionJarWithWgorPermission() throws Exception {
        Path t = REPO.resolve("deploy/aliyun-fc/s.yaml");
        JsonNode props = YAML.readTree(t.toFile()).get("resources").get("transflux-object-fc").get("props");
        assertThat(props.get("runtime").asText()).startsWith("java");
        assertHandler(props.get("handler").asText(), "com.aliyun.fc.runtime.StreamRequestHandler");
        assertHandler(props.get("instanceLifecycleConfig").get("initializer").get("handler").asText(),
                "com.aliyun.fc.runtime.FunctionInitializer");
        assertThat(t.getParent().resolve(props.get("code").asText()).normalize()).isEqualTo(REPO.resolve(ARTIFACT));
        JsonNode policy = new ObjectMapper().readTree(REPO.resolve("deploy/aliyun-fc/ram-policy.json").toFile());
        assertThat(policy.get("Statement").get(0).get("Action").toString()).contains("oss:WriteGetObjectResponse");
        String ap = Files.readString(REPO.resolve("deploy/aliyun-fc/create-access-point.sh"));
        assertThat(ap).contains("accessPointForObjectProcess", "<Action>GetObject</Action>",
                "<AllowedFeature>GetObject-Range</AllowedFeature>", "functions/transflux-object-fc");
        assertThat(props.get("functionName").asText()).isEqualTo("transflux-object-fc");
    }

    @Test
    void containerRecipeRunsTheFunctionJarThroughTheRicVersionServeUses() throws Exception {
        String df = Files.readString(REPO.resolve("deploy/container/Dockerfile"));
        assertThat(df).contains("COPY " + ARTIFACT + " ");
        assertThat(df).contains("\"" + FunctionRuntimeSpec.RIC_MAIN + "\"]");
        assertThat(df).contains("CMD [\"" + FunctionRuntimeSpec.DEFAULT_HANDLER + "\"]");
        assertHandler(FunctionRuntimeSpec.DEFAULT_HANDLER, "com.amazonaws.services.lambda.runtime.RequestStreamHandler");
        Properties ric = new Properties();
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/maven/com.amazonaws/aws-lambda-java-runtime-interface-client/pom.properties")) {
            assertThat(in).as("the RIC on serve's classpath").isNotNull();
            ric.load(in);
        }
        String v = ric.getProperty("version");
        assertThat(df).contains("aws-lambda-java-runtime-interface-client-" + v + ".jar");
        assertThat(df).contains("-XX:ArchiveClassesAtExit=").contains("-XX:SharedArchiveFile=");
    }

    /** {@code CLASS::method} names a public class implementing {@code iface} with that public method. */
    private static void assertHandler(String handler, String iface) throws Exception {
        String[] parts = handler.split("::");
        assertThat(parts).hasSize(2);
        Class<?> c = Class.forName(parts[0]);
        assertThat(Class.forName(iface).isAssignableFrom(c)).as(handler + " implements " + iface).isTrue();
        assertThat(java.util.Arrays.stream(c.getMethods()).map(java.lang.reflect.Method::getName)).contains(parts[1]);
        assertThat(c.getConstructor()).isNotNull();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
