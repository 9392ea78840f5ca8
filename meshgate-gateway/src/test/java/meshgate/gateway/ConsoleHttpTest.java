package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshgate.gateway.config.ConfigException;
import meshgate.gateway.console.ConsoleServer;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over plain HTTP, against a real gateway: who may sign in, which requests change anything, and
 * where it may listen.
 */
class ConsoleHttpTest {
    private static final String TOKEN = "console-http-test-token-8c1f";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String NO_RECIPIENT = "{\"mex-from\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}";
    private static final String FIXED = "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
            + "\"mex-workflowid\": \"TEST_WORKFLOW\"}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aWrongTokenIsRefusedAndTheRightOneSignsInWithAnHttpOnlySameSiteStrictCookieAndNoSecretLogged()
            throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway gateway = fixture.gateway("X26ABC1", console(TOKEN));
            URI base = base(gateway);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            String cookie;
            String csrf;
            System.setErr(new PrintStream(new TeeStream(log, stderr), true, StandardCharsets.UTF_8));
            try {
                HttpResponse<String> page = get(base.resolve("/"), null);
                assertThat(page.statusCode()).isEqualTo(303);
                assertThat(page.headers().firstValue("Location")).hasValue("/login");

                HttpResponse<String> wrong = post(base.resolve("/login"), null, Map.of("token", TOKEN + "x"));
                assertThat(wrong.statusCode()).isEqualTo(401);
                assertThat(wrong.body()).contains("That is not the console's token.");
                assertThat(wrong.headers().allValues("Set-Cookie")).isEmpty();
                assertThat(post(base.resolve("/login"), null, Map.of()).statusCode()).isEqualTo(401);

                HttpResponse<String> right = post(base.resolve("/login"), null, Map.of("token", TOKEN));
                assertThat(right.statusCode()).isEqualTo(303);
                String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(setCookie).startsWith("meshgate_console=").contains("; HttpOnly").contains("; SameSite=Strict")
                        .contains("; Path=/");
                cookie = setCookie.substring(0, setCookie.indexOf(';'));

                HttpResponse<String> overview = get(base.resolve("/"), cookie);
                assertThat(overview.statusCode()).isEqualTo(200);
                assertThat(overview.body()).contains("<h1>Overview</h1>").contains("X26ABC1")
                        .doesNotContain("No sign-in");
                assertThat(overview.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                        csp -> assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'"));
                csrf = csrf(overview.body());
                assertThat(get(base.resolve("/outbound/424242"), cookie).statusCode()).isEqualTo(404);
                assertThat(get(base.resolve("/nowhere"), cookie).statusCode()).isEqualTo(404);
                assertThat(post(base.resolve("/logout"), cookie, Map.of("csrf", csrf)).statusCode()).isEqualTo(303);
                assertThat(get(base.resolve("/"), cookie).statusCode()).as("signed out").isEqualTo(303);
            } finally {
                System.setErr(stderr);
            }
            String logged = log.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("console_sign_in_refused").contains("console_signed_in");
            assertThat(logged).doesNotContain(TOKEN).doesNotContain(cookie.substring(cookie.indexOf('=') + 1))
                    .doesNotContain(csrf);
        }
    }

    @Test
    void markupInAFileNameIsShownAsTextNeverRunAsPartOfThePage() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway gateway = fixture.gateway("X26ABC1", console(TOKEN));
            String name = "x\"><img src=x onerror=alert(1)>.csv";
            fixture.drop("X26ABC1", name, "a\n".getBytes(StandardCharsets.UTF_8), NO_RECIPIENT);
            eventually(Duration.ofSeconds(60), "the file failed", () ->
                    gateway.ledger().outbound(OutboundState.FAILED).size() == 1);
            URI base = base(gateway);
            String cookie = signIn(base);
            for (String page : new String[] {"/outbound", "/search?q=" + URLEncoder.encode("onerror",
                    StandardCharsets.UTF_8)}) {
                String body = get(base.resolve(page), cookie).body();
                assertThat(body).as(page).contains("x\"&gt;&lt;img src=x onerror=alert(1)&gt;.csv")
                        .doesNotContain("<img").doesNotContain("x\">");
            }
        }
    }

    @Test
    void afterTenWrongTokensInAMinuteNoSignInIsTriedUntilTheMinuteIsOver() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            URI base = base(fixture.gateway("X26ABC1", console(TOKEN)));
            for (int i = 0; i < 10; i++) {
                assertThat(post(base.resolve("/login"), null, Map.of("token", "guess-" + i)).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> held = post(base.resolve("/login"), null, Map.of("token", TOKEN));
            assertThat(held.statusCode()).isEqualTo(429);
            assertThat(held.headers().firstValue("Retry-After")).hasValueSatisfying(
                    s -> assertThat(Integer.parseInt(s)).isBetween(1, 61));
            assertThat(held.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(held.body()).contains("Too many wrong tokens in the last minute");
        }
    }

    @Test
    void aRetryWithoutItsSessionsCsrfTokenIsRefusedAndWithItTheFileGoesBackQueuedNamingWhoAndWhen()
            throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway sender = fixture.gateway("X26ABC1", "");
            fixture.drop("X26ABC1", "daily/no-recipient.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8),
                    NO_RECIPIENT);
            eventually(Duration.ofSeconds(60), "the file failed", () ->
                    sender.ledger().outbound(OutboundState.FAILED).size() == 1);
            long id = sender.ledger().outbound(OutboundState.FAILED).get(0).id();
            sender.close();
            Path failed = fixture.root("X26ABC1").resolve("failed/daily/no-recipient.csv");
            assertThat(failed).exists();
            Files.writeString(failed.resolveSibling("no-recipient.csv.meta.json"), FIXED);

            // The MESH jobs off: what the retry itself writes stays to be seen before anything sends the file.
            Gateway console = fixture.gateway("X26ABC1", console(TOKEN) + "mesh_jobs: false\n");
            URI base = base(console);
            String cookie = signIn(base);
            String csrf = csrf(get(base.resolve("/outbound"), cookie).body());
            String other = signIn(base);
            String otherCsrf = csrf(get(base.resolve("/outbound"), other).body());
            assertThat(otherCsrf).isNotEqualTo(csrf);

            assertThat(post(base.resolve("/retry"), cookie, Map.of("id", String.valueOf(id))).statusCode())
                    .as("no CSRF token").isEqualTo(403);
            assertThat(post(base.resolve("/retry"), cookie, Map.of("id", String.valueOf(id), "csrf", otherCsrf))
                    .statusCode()).as("another session's CSRF token").isEqualTo(403);
            assertThat(post(base.resolve("/retry"), null, Map.of("id", String.valueOf(id), "csrf", csrf))
                    .statusCode()).as("no session").isEqualTo(403);
            assertThat(send(HttpRequest.newBuilder(base.resolve("/retry")).header("Cookie", cookie)
                    .header("Origin", "https://elsewhere.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("id", String.valueOf(id), "csrf", csrf))))
                    .build()).statusCode()).as("another site's form").isEqualTo(403);
            assertThat(send(HttpRequest.newBuilder(base.resolve("/retry?id=" + id + "&csrf=" + csrf))
                    .header("Cookie", cookie).GET().build()).statusCode()).as("a GET changes nothing")
                    .isEqualTo(404);
            assertThat(console.ledger().findOutbound(id).orElseThrow().state()).isEqualTo(OutboundState.FAILED);
            assertThat(failed).exists();

            HttpResponse<String> retried = post(base.resolve("/retry"), cookie,
                    Map.of("id", String.valueOf(id), "csrf", csrf));
            assertThat(retried.statusCode()).isEqualTo(303);
            assertThat(retried.headers().firstValue("Location")).hasValue("/outbound");
            assertThat(get(base.resolve("/outbound"), cookie).body())
                    .contains("Moved failed/daily/no-recipient.csv back to outbound/daily/no-recipient.csv");
            OutboundRecord record = console.ledger().findOutbound(id).orElseThrow();
            assertThat(record.state()).isEqualTo(OutboundState.QUEUED);
            assertThat(record.reason()).matches("retried by the web console \\(signed in from 127\\.0\\.0\\.1\\) at "
                    + "\\d{4}-.*Z");
            Path outbound = fixture.root("X26ABC1").resolve("outbound/daily/no-recipient.csv");
            assertThat(outbound).hasContent("a,b\n1,2");
            assertThat(outbound.resolveSibling("no-recipient.csv.meta.json")).hasContent(FIXED);
            assertThat(failed).doesNotExist();
            assertThat(failed.resolveSibling("no-recipient.csv.reason.txt")).doesNotExist();
            assertThat(post(base.resolve("/retry"), cookie, Map.of("id", String.valueOf(id), "csrf", csrf))
                    .statusCode()).isEqualTo(303);
            assertThat(get(base.resolve("/outbound"), cookie).body()).contains("Not sent again: "
                    + "outbound/daily/no-recipient.csv (record " + id + ") is QUEUED, not FAILED");
            console.close();
            assertThatThrownBy(() -> get(base.resolve("/"), cookie)).as("the console stops with the gateway")
                    .isInstanceOf(java.net.ConnectException.class);

            Gateway again = fixture.gateway("X26ABC1", "");
            eventually(Duration.ofSeconds(60), "the retried file accepted by MESH", () ->
                    again.ledger().findOutbound(id).orElseThrow().state() == OutboundState.ACCEPTED);
        }
    }

    @Test
    void onLoopbackWithoutATokenNoSignInIsNeededThePageSaysSoAndOnlyLoopbackHostsAreServed() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway gateway = fixture.gateway("X26ABC1", "console:\n  port: 0\n");
            URI base = base(gateway);
            HttpResponse<String> overview = get(base.resolve("/"), null);
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("No sign-in: this console has no token")
                    .doesNotContain("Sign out");
            String setCookie = overview.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).contains("; HttpOnly").contains("; SameSite=Strict");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertThat(post(base.resolve("/retry"), cookie, Map.of("id", "1")).statusCode())
                    .as("a POST without the CSRF token").isEqualTo(403);
            assertThat(get(base.resolve("/login"), null).statusCode()).isEqualTo(303);
            assertThat(statusLine(base, "attacker.example:" + base.getPort())).as("a name that is not loopback")
                    .startsWith("HTTP/1.1 421");
            assertThat(statusLine(base, "localhost:" + base.getPort())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aConsoleBeyondLoopbackWithoutATokenIsRefusedAtStart() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            assertThatThrownBy(() -> fixture.gateway("X26ABC1", "console:\n  port: 0\n  host: 0.0.0.0\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("console.host: is 0.0.0.0, beyond the loopback interface: set "
                            + "console.token too");
            assertThatThrownBy(() -> fixture.gateway("X26ABC1", "console:\n  port: 0\n  token: short\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("console.token: must be at least 16 characters long");
        }
        assertThatThrownBy(() -> ConsoleServer.start(new InetSocketAddress("0.0.0.0", 0), Optional.empty(), "node",
                null, null, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beyond the loopback interface, without a token");
    }

    static String console(String token) {
        return "console:\n  port: 0\n  token: " + token + "\n";
    }

    private static URI base(Gateway gateway) {
        InetSocketAddress address = gateway.consoleAddress().orElseThrow();
        return URI.create("http://127.0.0.1:" + address.getPort() + "/");
    }

    /** The status line of a GET of / naming {@code host}, which java.net.http does not let a caller set. */
    private static String statusLine(URI base, String host) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    private String signIn(URI base) throws Exception {
        HttpResponse<String> signedIn = post(base.resolve("/login"), null, Map.of("token", TOKEN));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private HttpResponse<String> post(URI uri, String cookie, Map<String, String> fields) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** Writes to the captured log and on to the real standard error. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
