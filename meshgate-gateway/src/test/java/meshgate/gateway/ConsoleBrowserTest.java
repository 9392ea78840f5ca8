package meshgate.gateway;

import static meshgate.gateway.GatewayFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import meshgate.gateway.ledger.InboundState;
import meshgate.gateway.ledger.OutboundRecord;
import meshgate.gateway.ledger.OutboundState;
import meshgate.sandbox.fault.RequestHold;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser, headless Chromium driven through chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}), against real gateways on the sandbox: signing in, finding a message, sending a failed
 * file again, and a mailbox that MESH stops accepting. Each page is saved as a screenshot under
 * {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
    private static final String TOKEN = "console-browser-test-token-41d7";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static ChromeDriverService service;
    private static WebDriver browser;
    private static Path profile;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() throws IOException {
        Path chromium = executable("chromium", "chromium-browser").orElse(null);
        Path driver = executable("chromedriver").orElse(null);
        if (chromium == null || driver == null) {
            fail("The console's browser tests need Chromium and its driver, and " + (chromium == null ? "chromium"
                    : "chromedriver") + " is not on the PATH: apt-get install -y chromium chromium-driver "
                    + "(.ci/run installs them)");
        }
        profile = Files.createTempDirectory("meshgate-console-chromium");
        ChromeOptions options = new ChromeOptions();
        // Named, so that Selenium never looks for a browser or driver to download.
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1366,900", "--lang=en-GB");
        service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void signsInWithTheTokenAndFindsAMessageByItsLocalId() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway two = fixture.gateway("X26ABC2", "");
            Gateway one = fixture.gateway("X26ABC1", ConsoleHttpTest.console(TOKEN) + "tracking_interval: 300ms\n");
            fixture.drop("X26ABC1", "exports/daily-2026-12-07.csv", "nhs_number,dose\n9000000009,1\n"
                    .getBytes(StandardCharsets.UTF_8), "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", "
                    + "\"mex-workflowid\": \"TEST_WORKFLOW\", \"mex-localid\": \"console-find-me-1\"}");
            fixture.drop("X26ABC2", "reply.csv", "thanks\n".getBytes(StandardCharsets.UTF_8),
                    "{\"mex-from\": \"X26ABC2\", \"mex-to\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            eventually(WAIT, "the file acknowledged by X26ABC2 and the reply stored with its event delivered", () ->
                    one.ledger().outbound(OutboundState.ACKNOWLEDGED).size() == 1
                            && one.ledger().inbound(InboundState.ACKNOWLEDGED).stream()
                            .anyMatch(r -> r.eventEmitted()));
            OutboundRecord sent = one.ledger().outbound(OutboundState.ACKNOWLEDGED).get(0);
            String base = base(one);

            browser.get(base);
            assertThat(browser.getCurrentUrl()).endsWith("/login");
            assertThat(heading()).isEqualTo("Sign in");
            WebElement token = browser.findElement(By.id("token"));
            assertThat(label("token")).isEqualTo("Token");
            assertThat(browser.switchTo().activeElement()).as("the token field has the focus").isEqualTo(token);
            token.sendKeys("not the token" + Keys.ENTER);
            waitFor("the refusal", b -> b.findElements(By.id("sign-in-error")).size() == 1);
            assertThat(browser.findElement(By.id("sign-in-error")).getText()).isEqualTo("That is not the console's token.");
            screenshot("login");
            browser.findElement(By.id("token")).sendKeys(TOKEN + Keys.ENTER);
            waitFor("the overview", b -> heading().equals("Overview"));
            assertThat(cellText("mailbox-X26ABC1", 2)).isEqualTo("Healthy");
            browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            WebElement first = browser.switchTo().activeElement();
            assertThat(first.getText()).as("the first stop of the keyboard").isEqualTo("Skip to the content");
            first.sendKeys(Keys.TAB);
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Overview");
            screenshot("overview");

            WebElement search = browser.findElement(By.id("q"));
            assertThat(label("q")).isEqualTo("Find a message");
            search.sendKeys("console-find-me-1" + Keys.ENTER);
            waitFor("the search results", b -> heading().equals("Search"));
            WebElement record = browser.findElement(By.cssSelector("section.record"));
            assertThat(record.findElement(By.tagName("h2")).getText())
                    .isEqualTo("Outbound: outbound/exports/daily-2026-12-07.csv");
            assertThat(field(record, "Local id")).isEqualTo("console-find-me-1");
            assertThat(field(record, "MESH message id")).isEqualTo(sent.meshMessageId());
            assertThat(field(record, "State")).isEqualTo("ACKNOWLEDGED");
            assertThat(field(record, "Tracking status")).isEqualToIgnoringCase("acknowledged");
            assertThat(field(record, "Acknowledged at")).isNotEqualTo("—").endsWith("Z");
            screenshot("search");

            browser.findElement(By.linkText("Tracking")).click();
            waitFor("the tracking page", b -> heading().equals("Tracking"));
            assertThat(browser.findElement(By.id("tracking-" + sent.id())).getText())
                    .contains("ACKNOWLEDGED").contains(sent.meshMessageId());
            screenshot("tracking");
            browser.findElement(By.id("tracking-" + sent.id())).findElement(By.linkText(sent.objectKey())).click();
            waitFor("the record's own page", b -> heading().equals("Outbound: " + sent.objectKey()));
            assertThat(field(browser.findElement(By.cssSelector("section.record")), "MESH message id"))
                    .isEqualTo(sent.meshMessageId());

            browser.findElement(By.linkText("Inbound")).click();
            waitFor("the inbound page", b -> heading().equals("Inbound"));
            String received = one.ledger().inbound(InboundState.ACKNOWLEDGED).get(0).messageId();
            WebElement row = browser.findElement(By.id("inbound-" + received));
            assertThat(row.getText()).contains("X26ABC2").contains("ACKNOWLEDGED");
            assertThat(row.findElements(By.tagName("td")).get(7).getText()).isEqualTo("yes");
            screenshot("inbound");
            row.findElement(By.linkText(received)).click();
            waitFor("the received message's own page", b -> heading().equals("Inbound: X26ABC1 " + received));
            assertThat(field(browser.findElement(By.cssSelector("section.record")), "Event delivered"))
                    .isEqualTo("yes");
            screenshot("inbound-record");
            assertThat(two.ledger().inbound(InboundState.ACKNOWLEDGED)).hasSize(1);
        }
    }

    @Test
    void retriesAFailedFileAndSeesItDelivered() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway two = fixture.gateway("X26ABC2", "");
            Gateway one = fixture.gateway("X26ABC1", ConsoleHttpTest.console(TOKEN) + "tracking_interval: 300ms\n");
            fixture.drop("X26ABC1", "retry-me.csv", "sent at the second try\n".getBytes(StandardCharsets.UTF_8),
                    "{\"mex-from\": \"X26ABC1\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            eventually(WAIT, "the file failed", () -> one.ledger().outbound(OutboundState.FAILED).size() == 1);
            long id = one.ledger().outbound(OutboundState.FAILED).get(0).id();
            signIn(base(one));

            browser.findElement(By.linkText("Outbound")).click();
            waitFor("the outbound page", b -> heading().equals("Outbound"));
            WebElement failed = browser.findElement(By.id("outbound-" + id));
            assertThat(failed.getText()).contains("outbound/retry-me.csv").contains("failed/retry-me.csv")
                    .contains("mex-to");
            screenshot("outbound");

            // What a person does first: mend the metadata of the file under failed/.
            Files.writeString(fixture.root("X26ABC1").resolve("failed/retry-me.csv.meta.json"),
                    "{\"mex-from\": \"X26ABC1\", \"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            WebElement retry = failed.findElement(By.cssSelector("button[aria-label='Retry outbound/retry-me.csv']"));
            retry.sendKeys(Keys.ENTER);
            waitFor("the retry's notice", b -> !b.findElements(By.cssSelector("p.notice.ok")).isEmpty());
            assertThat(browser.findElement(By.cssSelector("p.notice.ok")).getText())
                    .startsWith("Moved failed/retry-me.csv back to outbound/retry-me.csv");
            screenshot("outbound-retried");

            browser.findElement(By.linkText("Tracking")).click();
            waitFor("the retried file acknowledged by its recipient", b -> {
                b.navigate().refresh();
                List<WebElement> row = b.findElements(By.id("tracking-" + id));
                return !row.isEmpty() && row.get(0).getText().contains("ACKNOWLEDGED");
            });
            assertThat(two.ledger().inbound(InboundState.ACKNOWLEDGED)).singleElement()
                    .satisfies(r -> assertThat(r.messageId())
                            .isEqualTo(one.ledger().findOutbound(id).orElseThrow().meshMessageId()));
            assertThat(fixture.root("X26ABC1").resolve("failed")).isEmptyDirectory();
        }
    }

    @Test
    void showsTheChunksSentOfAFileBeingSent() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway one = fixture.gateway("X26ABC1", ConsoleHttpTest.console(TOKEN) + "never_compress: true\n");
            // MESH holds the second chunk: the send stays at one chunk of three until the test lets it go.
            RequestHold second = fixture.sandbox.faults().holdNext("POST", "/messageexchange/X26ABC1/outbox/[^/]+/2",
                    Duration.ofMinutes(3));
            byte[] content = new byte[2 * 5242881 + 1000];
            new java.util.Random(7).nextBytes(content);
            fixture.drop("X26ABC1", "large/scan-bundle.dat", content, "{\"mex-from\": \"X26ABC1\", "
                    + "\"mex-to\": \"X26ABC2\", \"mex-workflowid\": \"TEST_WORKFLOW\"}");
            try {
                eventually(WAIT, "the second chunk held by MESH", second::arrived);
                long id = one.ledger().outbound(OutboundState.SENDING).get(0).id();
                signIn(base(one));
                browser.findElement(By.linkText("Outbound")).click();
                waitFor("chunk 1 of 3 sent", b -> {
                    b.navigate().refresh();
                    List<WebElement> row = b.findElements(By.id("outbound-" + id));
                    return !row.isEmpty() && row.get(0).findElements(By.tagName("td")).get(0).getText()
                            .equals("1/3");
                });
                assertThat(browser.findElement(By.id("outbound-" + id)).getText())
                        .contains("outbound/large/scan-bundle.dat").contains("X26ABC2");
                screenshot("outbound-sending");
            } finally {
                second.release();
            }
            eventually(WAIT, "the file accepted", () -> one.ledger().outbound(OutboundState.ACCEPTED).size() == 1);
        }
    }

    @Test
    void showsAMailboxTurnUnhealthyWhenItsPasswordIsWrongAndHealthyAgainOnceItWorks() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir)) {
            Gateway one = fixture.gateway("X26ABC1", ConsoleHttpTest.console(TOKEN));
            signIn(base(one));
            assertThat(cellText("mailbox-X26ABC1", 2)).isEqualTo("Healthy");

            fixture.sandbox.changePassword("X26ABC1", "rotated-elsewhere");
            waitFor("X26ABC1 paused", b -> {
                b.navigate().refresh();
                return cellText("mailbox-X26ABC1", 2).startsWith("Paused");
            });
            assertThat(cellText("mailbox-X26ABC1", 3)).contains("403");
            screenshot("overview-mailbox-paused");

            fixture.sandbox.changePassword("X26ABC1", "password");
            waitFor("X26ABC1 healthy again", b -> {
                b.navigate().refresh();
                return cellText("mailbox-X26ABC1", 2).equals("Healthy");
            });
        }
    }

    private static void signIn(String base) {
        browser.get(base);
        waitFor("the sign-in page", b -> heading().equals("Sign in"));
        browser.findElement(By.id("token")).sendKeys(TOKEN + Keys.ENTER);
        waitFor("the overview", b -> heading().equals("Overview"));
    }

    private static String base(Gateway gateway) {
        return "http://127.0.0.1:" + gateway.consoleAddress().orElseThrow().getPort() + "/";
    }

    private static String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    private static String label(String id) {
        return browser.findElement(By.cssSelector("label[for='" + id + "']")).getText();
    }

    /** The text of the {@code n}th cell (1: the row's header) of the row with this id. */
    private static String cellText(String rowId, int n) {
        return browser.findElement(By.cssSelector("#" + rowId + " > :nth-child(" + n + ")")).getText();
    }

    private static String field(WebElement record, String name) {
        return record.findElement(By.xpath(".//dt[normalize-space()='" + name + "']/following-sibling::dd"))
                .getText();
    }

    /**
     * Waits for what the page shows: polls, and fails after {@link #WAIT} naming what it waited for. An element of
     * the page being left is looked for again on the next.
     */
    private static void waitFor(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(250)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    /**
     * What every page must have for people using a keyboard or a screen reader, and for low vision: a language, one
     * main heading, a label for each field, table headers with their scope, and text at 4.5:1 contrast or more with
     * what is behind it (WCAG 2.2 AA), measured on the page as the browser draws it.
     */
    private static void assertAccessible(String page) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return document.documentElement.lang")).as(page + ": lang").isEqualTo("en");
        assertThat(browser.findElements(By.tagName("h1"))).as(page + ": one h1").hasSize(1);
        for (WebElement field : browser.findElements(By.cssSelector("input:not([type=hidden])"))) {
            String id = field.getAttribute("id");
            assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']")))
                    .as(page + ": a label for #" + id).hasSize(1);
        }
        for (WebElement header : browser.findElements(By.cssSelector("th"))) {
            assertThat(header.getAttribute("scope")).as(page + ": scope of th " + header.getText())
                    .isIn("col", "row");
        }
        @SuppressWarnings("unchecked")
        List<String> lowContrast = (List<String>) js.executeScript(CONTRAST_CHECK);
        assertThat(lowContrast).as(page + ": text below 4.5:1 contrast").isEmpty();
    }

    /** Each element's own text against the first opaque background behind it; lists the ones below 4.5:1. */
    private static final String CONTRAST_CHECK = """
            function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2],
                a: m.length > 3 ? m[3] : 1}; }
            function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
            function background(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.a > 0.99) { return c; } } return {r: 255, g: 255, b: 255, a: 1}; }
            const low = [];
            for (const e of document.querySelectorAll('body *')) {
                const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || e.offsetParent === null) { continue; }
                const fg = lum(rgb(getComputedStyle(e).color)), bg = lum(background(e));
                const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                if (ratio < 4.5) { low.push(e.tagName + ' "' + e.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2)); }
            }
            return low;
            """;

    private static void screenshot(String name) throws IOException {
        assertAccessible(name);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> executable(String... names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String name : names) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
