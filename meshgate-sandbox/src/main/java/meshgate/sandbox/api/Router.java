package meshgate.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table: method plus a path template whose {@code {name}} parts match one path segment. Routes are tried in
 * the order added. {@code admin} routes are never faulted; {@code download} routes may be cut midway.
 */
final class Router {
    record Route(String method, Pattern pattern, boolean admin, boolean download, Endpoint endpoint) {
    }

    /** A route chosen for a request, or none with the status to answer (404 or 405). */
    record Match(Route route, List<String> params, int status) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router api(String method, String template, Endpoint endpoint) {
        return add(method, template, false, false, endpoint);
    }

    Router download(String method, String template, Endpoint endpoint) {
        return add(method, template, false, true, endpoint);
    }

    Router admin(String method, String template, Endpoint endpoint) {
        return add(method, template, true, false, endpoint);
    }

    Match match(String method, String path) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(Exchange.decode(m.group(i)));
                }
                return new Match(route, params, 200);
            }
        }
        return new Match(null, List.of(), pathKnown ? 405 : 404);
    }


    private Router add(String method, String template, boolean admin, boolean download, Endpoint endpoint) {
        String regex = template.replaceAll("\\{[^/]+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex + "/?"), admin, download, endpoint));
        return this;
    }
}
