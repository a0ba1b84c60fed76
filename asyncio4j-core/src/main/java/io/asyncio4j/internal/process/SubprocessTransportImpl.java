package io.asyncio4j.internal.process;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.process.SubprocessOptions;
import io.asyncio4j.process.SubprocessProtocol;
import io.asyncio4j.process.SubprocessTransport;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Supplier;

/*
 * Implementation overview
 *
 * asyncio's BaseSubprocessTransport. A Child (native or JDK) gives the pid, the pipe ends and the
 * exit; this class wraps each pipe end in a pipe transport whose protocol is an adapter calling
 * back here with the pipe's fd, and reports to the SubprocessProtocol:
 *
 *   spawned --connectionMade--> running --(each pipe) pipeConnectionLost--+
 *                                  |                                      |
 *                                  +--processExited (returncode set)------+--> finished: connectionLost
 *
 * `finished` needs both the exit and every pipe closed; connectionLost then runs in a loop turn of
 * its own, as asyncio's _call_connection_lost. The child is in the loop's LoopChildren until it
 * finishes, so a loop closing meanwhile kills it and closes its pipes (see LoopChildren). Loop
 * thread only.
 */

/** The one implementation of {@link SubprocessTransport}. */
public final class SubprocessTransportImpl implements SubprocessTransport {
    private final EventLoopImpl loop;
    private final Child child;
    private final SubprocessProtocol protocol;
    private final String command;
    /** Whether the child leads a process group of its own (a new session or process group 0). */
    private boolean leadsGroup;
    private PipeTransports.Write stdin;
    private PipeTransports.Read stdout;
    private PipeTransports.Read stderr;
    private int openPipes;
    private Integer returncode;
    private boolean closing;
    private boolean finished;
    /** Whether the exit is still to be reported by another thread (counted by the loop as a wake-up to come). */
    private boolean awaitingExit;
    private final FutureImpl<Integer> exit;

    private SubprocessTransportImpl(EventLoopImpl loop, Child child, SubprocessProtocol protocol, String command) {
        this.loop = loop;
        this.child = child;
        this.protocol = protocol;
        this.command = command;
        this.exit = new FutureImpl<>(loop);
    }

    /**
     * Starts a child and connects its pipes; the protocol's connectionMade has run when this
     * returns. Suspends (through the JDK) or blocks for the spawn (natively).
     *
     * @param factory makes the protocol
     * @param command the program and its arguments
     * @param options the options
     * @return the transport
     * @throws IOException if the child cannot start
     */
    public static SubprocessTransportImpl start(Supplier<? extends SubprocessProtocol> factory, List<String> command,
            SubprocessOptions options) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        SubprocessProtocol protocol = java.util.Objects.requireNonNull(factory.get(), "the protocol factory returned null");
        Child child = Spawning.spawn(loop, command, options);
        SubprocessTransportImpl t = new SubprocessTransportImpl(loop, child, protocol, String.join(" ", command));
        t.leadsGroup = options.newSession() || options.processGroup() == 0;
        LoopChildren.of(loop).add(t);
        t.connect();
        return t;
    }

    private void connect() {
        if (child.stdin() != null) {
            stdin = new PipeTransports.Write(loop, child.stdin(), new PipeAdapter(0));
            openPipes++;
        }
        if (child.stdout() != null) {
            stdout = new PipeTransports.Read(loop, 1, child.stdout(), new PipeAdapter(1));
            openPipes++;
        }
        if (child.stderr() != null) {
            stderr = new PipeTransports.Read(loop, 2, child.stderr(), new PipeAdapter(2));
            openPipes++;
        }
        try {
            protocol.connectionMade(this);
        } catch (Throwable e) {
            report("protocol.connectionMade() failed", e);
        }
        if (stdin != null) {
            stdin.start();
        }
        if (stdout != null) {
            stdout.start();
        }
        if (stderr != null) {
            stderr.start();
        }
        // the exit comes from another thread (the poller, the JDK's reaper): until it does, a task
        // waiting on this child waits on something, and the loop's deadlock detection knows it
        awaitingExit = true;
        loop.expectOutsideCompletion();
        child.onExit(this::exited);
    }

    /** Forwards a pipe transport's events with the pipe's fd (asyncio's Read/WriteSubprocessPipeProto). */
    private final class PipeAdapter implements Protocol {
        private final int fd;

        PipeAdapter(int fd) {
            this.fd = fd;
        }

        @Override
        public void connectionMade(Transport transport) {
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            protocol.pipeDataReceived(fd, data);
        }

        @Override
        public boolean eofReceived() {
            return false;
        }

        @Override
        public void connectionLost(Throwable error) {
            pipeLost(fd, error);
        }

        @Override
        public void pauseWriting() {
            protocol.pauseWriting();
        }

        @Override
        public void resumeWriting() {
            protocol.resumeWriting();
        }
    }

    private void pipeLost(int fd, Throwable error) {
        openPipes--;
        try {
            protocol.pipeConnectionLost(fd, error);
        } catch (Throwable e) {
            report("protocol.pipeConnectionLost() failed", e);
        }
        tryFinish();
    }

    private void exited(int code) {
        if (awaitingExit) {
            awaitingExit = false;
            loop.outsideCompletionArrived();
        }
        if (returncode != null) {
            return;
        }
        returncode = code;
        child.release();
        try {
            protocol.processExited();
        } catch (Throwable e) {
            report("protocol.processExited() failed", e);
        }
        if (!exit.isDone()) {
            exit.setResult(code);
        }
        tryFinish();
    }

    private void tryFinish() {
        if (finished || returncode == null || openPipes > 0) {
            return;
        }
        finished = true;
        LoopChildren.of(loop).remove(this);
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(null);
            } catch (Throwable e) {
                report("protocol.connectionLost() failed", e);
            }
        });
    }

    private void report(String what, Throwable e) {
        loop.callExceptionHandler(new ExceptionContext(what + " for " + this, e, null, null, List.of()));
    }

    /** {@return a future done with the return code when the process exits} */
    public FutureImpl<Integer> exitFuture() {
        return exit;
    }

    /** {@return the command line, for messages} */
    String command() {
        return command;
    }

    /** {@return whether the process has exited} */
    boolean hasExited() {
        return returncode != null;
    }

    /**
     * The loop is closing with this child unfinished: kill it if it runs, close the pipes, let go
     * of it (the poller or the JDK still reaps it). {@return whether it was still running}
     */
    boolean loopClosing() {
        boolean running = returncode == null;
        if (running) {
            child.signal(9);
        }
        closePipes(true);
        child.release();
        return running;
    }

    @Override
    public long getPid() {
        return child.pid();
    }

    @Override
    public OptionalInt getReturncode() {
        return returncode == null ? OptionalInt.empty() : OptionalInt.of(returncode);
    }

    @Override
    public Transport getPipeTransport(int fd) {
        return switch (fd) {
            case 0 -> stdin;
            case 1 -> stdout;
            case 2 -> stderr;
            default -> null;
        };
    }

    @Override
    public void sendSignal(int signal) {
        if (signal <= 0 || signal >= 65) {
            throw new IllegalArgumentException("invalid signal number: " + signal);
        }
        if (returncode == null) {
            child.signal(signal);
        }
    }

    @Override
    public void sendSignal(String signal) {
        sendSignal(signalNumber(signal));
    }

    /** {@return the number of a signal by its name, with or without SIG} */
    static int signalNumber(String signal) {
        if (signal == null || signal.isBlank()) {
            throw new IllegalArgumentException("no signal name");
        }
        String s = signal.strip().toUpperCase(Locale.ROOT);
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        try {
            return (int) SIGNAL_NUMBER.invoke(NEW_SIGNAL.invoke(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal: " + signal, e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot look up signal " + signal, e);
        }
    }

    /** sun.misc.Signal's name-to-number table, reached reflectively (an unsupported JDK API). */
    private static final java.lang.invoke.MethodHandle NEW_SIGNAL;
    private static final java.lang.invoke.MethodHandle SIGNAL_NUMBER;

    static {
        try {
            Class<?> c = Class.forName("sun.misc.Signal");
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.publicLookup();
            NEW_SIGNAL = l.findConstructor(c, java.lang.invoke.MethodType.methodType(void.class, String.class));
            SIGNAL_NUMBER = l.findVirtual(c, "getNumber", java.lang.invoke.MethodType.methodType(int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Sends a signal to the child's process group (kill(-pid)): the child and every process it
     * started that stayed in its group, even after the child itself exited. Nothing once no
     * process of the group is left.
     *
     * @param signal the signal's number
     * @throws IllegalStateException if the child was not started with a group of its own
     */
    public void sendSignalToGroup(int signal) {
        if (signal <= 0 || signal >= 65) {
            throw new IllegalArgumentException("invalid signal number: " + signal);
        }
        if (!leadsGroup) {
            throw new IllegalStateException("the child has no process group of its own: start it with "
                    + "withNewSession(true) or withProcessGroup(0)");
        }
        // only native children lead groups (Spawning refuses the options otherwise); ESRCH: none left
        io.asyncio4j.internal.posix.Posix.kill((int) -child.pid(), signal);
    }

    @Override
    public void terminate() {
        sendSignal(15);
    }

    @Override
    public void kill() {
        sendSignal(9);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        closePipes(false);
        if (returncode == null) {
            child.signal(9); // as asyncio's close(): a transport closed before its process ended kills it
        }
    }

    private void closePipes(boolean abort) {
        if (stdin != null) {
            if (abort) {
                stdin.abort();
            } else {
                stdin.close();
            }
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public SubprocessProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<SubprocessTransport pid=" + child.pid() + " " + (returncode == null ? "running" : "returncode=" + returncode)
                + (closing ? " closing" : "") + " " + command + ">";
    }
}
