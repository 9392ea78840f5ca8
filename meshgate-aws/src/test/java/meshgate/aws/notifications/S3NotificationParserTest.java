package meshgate.aws.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import meshgate.aws.notifications.S3Notification.Created;
import meshgate.aws.notifications.S3Notification.Ignored;
import meshgate.aws.notifications.S3Notification.Malformed;
import meshgate.aws.notifications.S3Notification.ObjectCreated;
import org.junit.jupiter.api.Test;

/** The message bodies AWS delivers to SQS, in the shapes its documentation gives, with values of our own. */
class S3NotificationParserTest {

    @Test
    void readsAnS3NotificationDecodingTheKeyAsS3EncodesIt() throws IOException {
        S3Notification parsed = S3NotificationParser.parse(fixture("s3-object-created-put.json"));

        assertThat(parsed).isInstanceOf(Created.class);
        assertThat(((Created) parsed).objects()).containsExactly(new ObjectCreated("BUCKET",
                "outbound/X26ABC1/daily report été+1.json", 2048, "9b2cf535f27731c974343645a3985328",
                "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "0067A1B2C3D4E5F601"));
    }

    @Test
    void readsAnEventBridgeObjectCreatedEventTakingTheKeyAsItIs() throws IOException {
        S3Notification parsed = S3NotificationParser.parse(fixture("eventbridge-object-created.json"));

        assertThat(((Created) parsed).objects()).containsExactly(new ObjectCreated("BUCKET",
                "outbound/X26ABC1/weekly extract+final.csv", 31457280, "5d41402abc4b2a76b9719d911017c592-2",
                "Ua7Wq0pT.9xk1nB3cVd8eFgHiJkLmNoP", "0067A1B2D9F0011A22"));
    }

    @Test
    void readsACloudTrailPutObjectCallAsTheTerraformModulesRulesMatchIt() throws IOException {
        S3Notification parsed = S3NotificationParser.parse(fixture("eventbridge-cloudtrail-put-object.json"));

        assertThat(((Created) parsed).objects()).containsExactly(new ObjectCreated("BUCKET",
                "outbound/X26ABC1/0f6c2e1a9b.json", -1, null, null, null));
        assertThat(S3NotificationParser.parse(fixture("eventbridge-cloudtrail-put-object.json")
                .replace("\"PutObject\"", "\"GetObject\""))).isInstanceOf(Ignored.class);
    }

    @Test
    void readsAnS3NotificationInsideAnSnsEnvelope() throws IOException {
        String inner = fixture("s3-object-created-put.json");
        String envelope = "{\"Type\":\"Notification\",\"MessageId\":\"1b2c3d4e\",\"TopicArn\":"
                + "\"arn:aws:sns:eu-west-2:123456789012:outbound\",\"Subject\":\"Amazon S3 Notification\","
                + "\"Message\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(inner) + "}";

        S3Notification parsed = S3NotificationParser.parse(envelope);

        assertThat(((Created) parsed).objects()).extracting(ObjectCreated::key)
                .containsExactly("outbound/X26ABC1/daily report été+1.json");
    }

    @Test
    void ignoresTheTestEventAndEventsOfOtherKinds() throws IOException {
        assertThat(S3NotificationParser.parse(fixture("s3-test-event.json"))).isInstanceOf(Ignored.class);
        assertThat(S3NotificationParser.parse(fixture("s3-object-removed.json"))).isInstanceOf(Ignored.class);
        assertThat(S3NotificationParser.parse(fixture("eventbridge-object-deleted.json")))
                .isInstanceOf(Ignored.class);
    }

    @Test
    void saysWhatIsWrongWithAMessageItCannotRead() {
        assertThat(S3NotificationParser.parse("not json at all")).isInstanceOfSatisfying(Malformed.class,
                m -> assertThat(m.why()).startsWith("not JSON"));
        assertThat(S3NotificationParser.parse("[1,2]")).isInstanceOf(Malformed.class);
        assertThat(S3NotificationParser.parse("{\"hello\":\"world\"}")).isInstanceOfSatisfying(Malformed.class,
                m -> assertThat(m.why()).contains("Records").contains("detail-type"));
        assertThat(S3NotificationParser.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}"))
                .isInstanceOfSatisfying(Malformed.class, m -> assertThat(m.why()).contains("s3.object.key"));
        assertThat(S3NotificationParser.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"b\"},\"object\":{\"key\":\"outbound/%ZZ\"}}}]}")).isInstanceOf(Malformed.class);
        assertThat(S3NotificationParser.parse("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\","
                + "\"detail\":{}}")).isInstanceOf(Malformed.class);
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = S3NotificationParserTest.class.getResourceAsStream("/notifications/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
