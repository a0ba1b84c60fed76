import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * asyncio 3.14's {@code python -m asyncio ps PID} and {@code pstree PID} for a JVM running
 * asyncio4j loops, without restarting it: attaches with the JDK's attach API, starts the target's
 * local management agent (reachable only by the same user on this machine) and calls the
 * {@code io.asyncio4j:type=Loops} MXBean that asyncio4j registers when the JVM's first loop is
 * created.
 *
 * <p>A single-file program on the JDK alone: {@code java AsyncioPs.java ps|pstree|stacks PID}
 * (the project's launcher runs it as {@code ./asyncio4j ps PID}). Exit status: 0 with the text on
 * standard output; 1 when the JVM cannot be reached or runs no asyncio4j; 2 on a usage error.
 */
public final class AsyncioPs {
    private static final String BEAN = "io.asyncio4j:type=Loops";

    private AsyncioPs() {
    }

    /**
     * Prints the loops of the JVM named by its process id.
     *
     * @param args {@code ps}, {@code pstree} or {@code stacks}, then the process id
     */
    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("ps") || args[0].equals("pstree") || args[0].equals("stacks"))
                || !args[1].matches("[0-9]+")) {
            System.err.println("usage: AsyncioPs ps|pstree|stacks PID");
            System.exit(2);
        }
        String op = args[0];
        String pid = args[1];
        try {
            System.out.print(call(pid, op));
        } catch (AttachNotSupportedException | IOException e) {
            fail("cannot attach to JVM " + pid + " (is it a JVM of this user, still running?): " + e.getMessage());
        } catch (InstanceNotFoundException e) {
            fail("JVM " + pid + " has no asyncio4j MXBean: it has opened no loop, or runs with -Dasyncio4j.mbean=false");
        } catch (Exception e) {
            fail("JVM " + pid + ": " + e);
        }
    }

    private static String call(String pid, String op) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            ObjectName name = new ObjectName(BEAN);
            // the bean is registered on a thread of its own once the first loop exists: a JVM that
            // has just started may not have it yet
            for (int i = 0; i < 20 && !server.isRegistered(name); i++) {
                Thread.sleep(100);
            }
            return (String) server.invoke(name, op, new Object[0], new String[0]);
        }
    }

    private static void fail(String message) {
        System.err.println("asyncio4j ps: " + message);
        System.exit(1);
    }
}
