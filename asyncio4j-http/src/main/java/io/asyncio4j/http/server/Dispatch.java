package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.internal.server.Dispatcher;
import io.asyncio4j.http.internal.server.Exchange;
import io.asyncio4j.http.internal.server.RequestImpl;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/*
 * Implementation overview
 *
 * What runs in a request's task: resolve the route (through sub-applications), wrap the handler
 * in the matched applications' middlewares (outer application outermost, as aiohttp), run it
 * (within the request timeout if one is set), turn an HttpException into its response, and
 * complete the response (write what the handler left unsent). A handler's other exception
 * becomes a 500 whose body names nothing of it, and is logged with the request line; if the
 * response had been started, the connection is closed instead (its framing cannot be finished).
 * A cancellation (the client left, or the shutdown's grace period ended) closes the connection
 * and ends the task cancelled. Every path ends with Exchange.handlerDone().
 */

/** Runs requests through an application. */
final class Dispatch implements Dispatcher {
    static final Logger LOG = System.getLogger("io.asyncio4j.http.server");
    private static final String INTERNAL_ERROR = "500 Internal Server Error\n\nServer got itself in trouble";

    private final Application app;
    private final Duration requestTimeout;

    Dispatch(Application app, ServerSettings settings) {
        this.app = app;
        this.requestTimeout = settings.requestTimeout();
    }

    @Override
    public void dispatch(Exchange x) {
        RequestImpl req = x.request();
        try {
            StreamResponse resp;
            try {
                resp = handle(req);
                if (resp == null) {
                    throw new IllegalStateException("the handler returned null instead of a response");
                }
            } catch (HttpException e) {
                resp = e.toResponse();
            }
            try {
                resp.complete(req);
            } catch (HttpException e) {
                if (resp.isPrepared()) {
                    throw e;
                }
                e.toResponse().complete(req); // a FileResponse that found no file, say
            }
        } catch (CancelledError e) {
            x.abort();
            throw e;
        } catch (RequestTimedOut e) {
            respondOrAbort(x, req, new HttpException(HttpStatus.SERVICE_UNAVAILABLE,
                    "503: the request took longer than " + requestTimeout).toResponse());
        } catch (Throwable e) {
            if (!x.aborted() && !(e instanceof IOException && x.aborted())) {
                LOG.log(Level.ERROR, () -> "Error handling request " + req.method() + " " + req.target() + " from "
                        + req.remote(), e);
            }
            respondOrAbort(x, req, internalError());
        } finally {
            x.handlerDone();
        }
    }

    private static Response internalError() {
        return Response.text(INTERNAL_ERROR).setStatus(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    private static void respondOrAbort(Exchange x, RequestImpl req, Response r) {
        if (x.aborted() || x.headWritten()) {
            x.abort();
            return;
        }
        try {
            r.forceClose();
            r.complete(req);
        } catch (IOException | RuntimeException e) {
            x.abort();
        }
    }

    /** A request timeout, told apart from a TimeoutError the handler raised itself. */
    private static final class RequestTimedOut extends RuntimeException {
        RequestTimedOut(TimeoutError cause) {
            super(null, cause, false, false);
        }
    }

    private StreamResponse handle(RequestImpl req) throws Exception {
        Router.Resolution r = app.router().resolve(app, List.of(), req.method(), req.routingPath());
        List<Application> chain = r.chain();
        Application matched = chain.get(chain.size() - 1);
        req.setMatch(matched, chain, r.route(), r.params());
        if (matched.clientMaxSize() != req.clientMaxSize()) {
            req.setDefaultClientMaxSize(matched.clientMaxSize());
        }
        Handler h = r.handler();
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<Middleware> mws = chain.get(i).middlewares();
            for (int j = mws.size() - 1; j >= 0; j--) {
                Middleware m = mws.get(j);
                Handler next = h;
                h = request -> m.handle(request, next);
            }
        }
        if (requestTimeout == null) {
            return h.handle(req);
        }
        Timeout[] scope = new Timeout[1];
        try (Timeout t = Asyncio.timeout(requestTimeout)) {
            scope[0] = t;
            return h.handle(req);
        } catch (TimeoutError e) {
            if (e.timeout() == scope[0]) {
                throw new RequestTimedOut(e);
            }
            throw e;
        }
    }
}
