package dk.ipsbridge.control;

import java.util.Comparator;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.stereotype.Component;

/** The Camel routes of this instance as an operator sees them: started or not, for how long, how busy. */
@Component
public class RouteStatus {

    private final CamelContext camel;

    RouteStatus(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * @param status   Camel's state: {@code Started}, {@code Stopped}, {@code Suspended}, ...
     * @param uptimeMs how long it has been started; 0 when it is not
     * @param inflight exchanges under way in it now
     */
    public record Line(String id, String status, long uptimeMs, int inflight, String from) {
    }

    public List<Line> routes() {
        return camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId))
                .map(route -> new Line(route.getRouteId(),
                        String.valueOf(camel.getRouteController().getRouteStatus(route.getRouteId())),
                        route.getUptimeMillis(), camel.getInflightRepository().size(route.getRouteId()),
                        route.getEndpoint().getEndpointBaseUri()))
                .toList();
    }
}
