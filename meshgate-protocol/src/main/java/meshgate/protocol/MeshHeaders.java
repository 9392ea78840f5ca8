package meshgate.protocol;

/**
 * Header names and media types of the MESH API, spelled as MESH documents them. HTTP header names are
 * case-insensitive; these are lower case, which is how HTTP/2 and most proxies carry them.
 */
public final class MeshHeaders {
    public static final String AUTHORIZATION = "authorization";
    public static final String ACCEPT = "accept";
    public static final String CONTENT_TYPE = "content-type";
    public static final String CONTENT_ENCODING = "content-encoding";
    public static final String ACCEPT_ENCODING = "accept-encoding";

    /** Version 2 of the MESH API; responses use snake_case JSON. */
    public static final String MEDIA_TYPE_V2 = "application/vnd.mesh.v2+json";
    public static final String OCTET_STREAM = "application/octet-stream";

    public static final String TO = "mex-to";
    public static final String FROM = "mex-from";
    public static final String WORKFLOW_ID = "mex-workflowid";
    public static final String SUBJECT = "mex-subject";
    public static final String LOCAL_ID = "mex-localid";
    public static final String FILE_NAME = "mex-filename";
    public static final String CONTENT_COMPRESSED = "mex-content-compressed";
    public static final String CONTENT_ENCRYPTED = "mex-content-encrypted";
    public static final String CONTENT_CHECKSUM = "mex-content-checksum";
    /** The content's media type as the sender gave it; MESH passes it on to the recipient. */
    public static final String MEX_CONTENT_TYPE = "mex-content-type";
    public static final String TOTAL_CHUNKS = "mex-total-chunks";
    public static final String CHUNK_RANGE = "mex-chunk-range";
    public static final String MESSAGE_TYPE = "mex-messagetype";
    public static final String MESSAGE_ID = "mex-messageid";
    public static final String STATUS_CODE = "mex-statuscode";
    public static final String STATUS_EVENT = "mex-statusevent";
    public static final String STATUS_DESCRIPTION = "mex-statusdescription";
    public static final String STATUS_SUCCESS = "mex-statussuccess";
    public static final String STATUS_TIMESTAMP = "mex-statustimestamp";
    public static final String LINKED_MESSAGE_ID = "mex-linkedmsgid";
    public static final String VERSION = "mex-version";

    public static final String CLIENT_VERSION = "mex-clientversion";
    public static final String OS_NAME = "mex-osname";
    public static final String OS_VERSION = "mex-osversion";
    public static final String OS_ARCHITECTURE = "mex-osarchitecture";
    public static final String JAVA_VERSION = "mex-javaversion";

    /** Message types carried in {@link #MESSAGE_TYPE}. */
    public static final String TYPE_DATA = "DATA";
    public static final String TYPE_REPORT = "REPORT";

    private MeshHeaders() {
    }
}
