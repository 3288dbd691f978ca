package dev.cairn.s3.iam;

/**
 * An IAM API error, as AWS IAM answers it: code, HTTP status, whether the sender or the server is
 * at fault, and the message.
 */
public final class IamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The error codes of IAM that Cairn answers with. */
    public enum Code {
        NO_SUCH_ENTITY("NoSuchEntity", 404),
        ENTITY_ALREADY_EXISTS("EntityAlreadyExists", 409),
        DELETE_CONFLICT("DeleteConflict", 409),
        LIMIT_EXCEEDED("LimitExceeded", 409),
        MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400),
        VALIDATION_ERROR("ValidationError", 400),
        INVALID_INPUT("InvalidInput", 400),
        INVALID_ACTION("InvalidAction", 400),
        MISSING_PARAMETER("MissingParameter", 400),
        ACCESS_DENIED("AccessDenied", 403),
        CONCURRENT_MODIFICATION("ConcurrentModification", 409),
        INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403),
        SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
        INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
        MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403),
        SERVICE_FAILURE("ServiceFailure", 500);

        private final String code;
        private final int status;

        Code(String code, int status) {
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private final Code code;

    public IamException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** "Sender" for client errors, "Receiver" for the server's. */
    public String type() {
        return code.status() >= 500 ? "Receiver" : "Sender";
    }

    static IamException noSuchUser(String name) {
        return new IamException(Code.NO_SUCH_ENTITY, "The user with name " + name + " cannot be found.");
    }

    static IamException validation(String value, String field, String constraint) {
        return new IamException(Code.VALIDATION_ERROR, "1 validation error detected: Value '" + value + "' at '"
                + field + "' failed to satisfy constraint: " + constraint);
    }
}
