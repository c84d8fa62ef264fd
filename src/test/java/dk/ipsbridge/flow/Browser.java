package dk.ipsbridge.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs),
 * given explicitly so that Selenium never tries to download a browser.
 */
final class Browser {

    private Browser() {
    }

    static WebDriver start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("ips-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    /**
     * Clicks a button or link that leaves the page and waits until the next page has loaded. The old page is marked
     * in its window, which a new page does not inherit, so the wait holds no element of the old page: asking the
     * browser about one while it navigates away can fail in Chromium ("Node with given id does not belong to the
     * document"), as a look at the old page's elements right after a bare click can find them stale.
     */
    static void submit(WebDriver driver, WebElement button) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.ipsLeaving = true;");
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(js.executeScript(
                        "return window.ipsLeaving === undefined && document.readyState === 'complete';")));
    }

    /** Spring Security's form login. */
    static void logIn(WebDriver driver, String baseUrl, String user, String password) {
        driver.get(baseUrl + "/login");
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    }
}
