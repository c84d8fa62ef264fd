package dk.ipsbridge.hapiserver;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /stats}: the request counts as JSON; {@code POST /stats/reset}: zero them (answers the zeroed counts). */
@RestController
public class StatsController {

    private final RequestCounter counter;

    public StatsController(RequestCounter counter) {
        this.counter = counter;
    }

    @GetMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> stats() {
        return counter.snapshot();
    }

    @PostMapping(path = "/stats/reset", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> reset() {
        counter.reset();
        return counter.snapshot();
    }
}
