package org.falab.contracts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium driven through the system's chromedriver (Debian {@code chromium},
 * {@code chromium-driver}); never a downloaded browser. Skipped where they are missing, failed in CI. The one
 * driver of the browser tests (gateway's WebPageIT, e2e's RunPageIT), with the readings of the page they share.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go: test artefacts of the build. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final ChromeDriver driver;
    private final Path profile;

    public Chromium() {
        Tools.require(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER), "chromium and chromedriver",
                "apt-get install chromium chromium-driver");
        try {
            profile = Files.createTempDirectory("falab-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile());
        // without the background-networking flags Chromium waits on services the closed network never answers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    /**
     * The text of the first element matching {@code css}, "" when there is none; read in one script, so that a page
     * redrawing the element in between cannot make it stale.
     */
    public String text(String css) {
        Object text = driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
        return text == null ? "" : text.toString();
    }

    /** The points drawn on the chart titled {@code title} (the page's data-points), 0 when there is none. */
    public int points(String title) {
        Object n = driver.executeScript("const c = document.querySelector(\".chart[data-title='\" + arguments[0]"
                + " + \"']\"); return c ? Number(c.dataset.points) : 0", title);
        return ((Number) n).intValue();
    }

    /** Saves the page as target/screenshots/NAME.png and answers the path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
