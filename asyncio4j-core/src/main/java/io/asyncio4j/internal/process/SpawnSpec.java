package io.asyncio4j.internal.process;

import io.asyncio4j.process.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: the program's resolved path, its arguments (the first is its name), its
 * environment and directory, and where its three streams go.
 *
 * @param program the program's path (with a '/', found on PATH already)
 * @param argv the arguments, the program's name first
 * @param env the whole environment
 * @param cwd the working directory, or null
 * @param stdin where stdin comes from
 * @param stdout where stdout goes
 * @param stderr where stderr goes
 * @param newSession whether the child calls setsid
 * @param processGroup -1 (the parent's), 0 (a group of its own) or the group to join
 */
record SpawnSpec(String program, List<String> argv, Map<String, String> env, Path cwd, Redirect stdin,
                 Redirect stdout, Redirect stderr, boolean newSession, int processGroup) {

    /** {@return whether the child leads a process group of its own} */
    boolean leadsGroup() {
        return newSession || processGroup == 0;
    }


    /** {@return the command line, for messages} */
    String commandLine() {
        return String.join(" ", argv);
    }
}
