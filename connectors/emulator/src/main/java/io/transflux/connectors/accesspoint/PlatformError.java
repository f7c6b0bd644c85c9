package io.transflux.connectors.accesspoint;

/** An error the emulated platform answers itself (not the function): status, S3-style code and a fixed message. */
final class PlatformError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    PlatformError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static PlatformError notReceived() {
        return new PlatformError(500, "LambdaResponseNotReceived",
                "The Lambda function exited without successfully calling WriteGetObjectResponse.");
    }

    static PlatformError timeout() {
        return new PlatformError(500, "LambdaTimeout", "The Lambda function did not respond in the allowed time.");
    }

    /** The S3/OSS XML error document. */
    String xml(String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(code) + "</Code><Message>"
                + escape(getMessage()) + "</Message><RequestId>" + requestId + "</RequestId></Error>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
