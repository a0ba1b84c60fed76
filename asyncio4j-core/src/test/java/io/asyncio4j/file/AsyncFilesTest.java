package io.asyncio4j.file;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.sleep;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import java.io.IOException;
import java.time.Duration;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AsyncFiles: aiofiles.os, aiofiles.ospath and aiofiles.tempfile, on a real file system. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncFilesTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ whole files

    @Test
    void wholeFilesRoundTrip() {
        AsyncTesting.run(() -> {
            Path b = dir.resolve("b");
            assertEquals(b, AsyncFiles.writeBytes(b, new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, AsyncFiles.readBytes(b));
            AsyncFiles.writeBytes(b, new byte[] {9});
            assertArrayEquals(new byte[] {9}, AsyncFiles.readBytes(b), "truncated by default");
            AsyncFiles.writeBytes(b, new byte[] {8}, APPEND);
            assertArrayEquals(new byte[] {9, 8}, AsyncFiles.readBytes(b));
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFiles.writeBytes(b, new byte[0], CREATE_NEW));

            Path t = dir.resolve("t.txt");
            AsyncFiles.writeString(t, "héllo\n");
            assertEquals("héllo\n", AsyncFiles.readString(t));
            AsyncFiles.writeString(t, "ÿ", ISO_8859_1);
            assertEquals(1, AsyncFiles.size(t));
            assertEquals("ÿ", AsyncFiles.readString(t, ISO_8859_1));
            assertThrows(MalformedInputException.class, () -> AsyncFiles.readString(t));
            assertThrows(UnmappableCharacterException.class, () -> AsyncFiles.writeString(t, "€", US_ASCII));
            assertEquals("ÿ", AsyncFiles.readString(t, ISO_8859_1), "nothing written by the failed write");
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.readBytes(dir.resolve("missing")));
        });
    }

    @Test
    void manyConcurrentWholeFileOperations() {
        AsyncTesting.run(() -> {
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                tasks.add(createTask(() -> {
                    Path p = dir.resolve("f" + n);
                    byte[] data = AsyncFileTest.random(10_000 + n, n);
                    AsyncFiles.writeBytes(p, data);
                    return java.util.Arrays.equals(data, AsyncFiles.readBytes(p));
                }));
            }
            for (boolean ok : await(gather(tasks))) {
                assertTrue(ok);
            }
            assertEquals(200, AsyncFiles.listdir(dir).size());
        });
    }

    @Test
    void copyReplacesOnlyWhenAskedAndCopiesAttributes() throws IOException {
        Path src = Files.writeString(dir.resolve("src"), "data");
        Files.setLastModifiedTime(src, FileTime.fromMillis(1_000_000_000_000L));
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwx------"));
        Path dst = dir.resolve("dst");
        AsyncTesting.run(() -> {
            assertEquals(dst, AsyncFiles.copy(src, dst));
            assertEquals("data", AsyncFiles.readString(dst));
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFiles.copy(src, dst));
            AsyncFiles.writeString(src, "new");
            AsyncFiles.copy(src, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            assertEquals("new", AsyncFiles.readString(dst));
            PosixFileAttributes a = AsyncFiles.readAttributes(dst, PosixFileAttributes.class);
            assertEquals(PosixFilePermissions.fromString("rwx------"), a.permissions());
            AsyncFiles.copy(dir.resolve("src"), dir.resolve("src"), StandardCopyOption.REPLACE_EXISTING);
            assertEquals("new", AsyncFiles.readString(src), "a copy onto itself changes nothing");
            Path sub = dir.resolve("sub");
            AsyncFiles.mkdir(sub);
            assertEquals(dir.resolve("sub2"), AsyncFiles.copy(sub, dir.resolve("sub2")), "a directory: copied empty");
            assertTrue(AsyncFiles.isDirectory(dir.resolve("sub2")));
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.copy(dir.resolve("none"), dir.resolve("x")));
            assertThrows(UnsupportedOperationException.class,
                    () -> AsyncFiles.copy(src, dst, StandardCopyOption.ATOMIC_MOVE));
        });
    }

    @Test
    void aLargeCopyGoesInStepsAndACancelledOneLeavesNoPartialCopy() throws IOException {
        byte[] data = AsyncFileTest.random(65 * 1024 * 1024 + 3, 11); // two steps
        Path src = Files.write(dir.resolve("big"), data);
        Path dst = dir.resolve("big-copy");
        AsyncTesting.run(() -> {
            AsyncFiles.copy(src, dst);
            assertArrayEquals(data, AsyncFiles.readBytes(dst));
            AsyncFiles.remove(dst);
            Task<Path> t = createTask(() -> AsyncFiles.copy(src, dst));
            while (!AsyncFiles.exists(dst)) {
                sleep(Duration.ZERO); // the copy started: its target exists
            }
            t.cancel();
            assertThrows(CancelledError.class, () -> await(t));
            assertFalse(AsyncFiles.exists(dst), "the partial copy is deleted");
        });
    }

    @Test
    void moveAndRename() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        AsyncTesting.run(() -> {
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFiles.move(a, b));
            AsyncFiles.rename(a, b);
            assertFalse(AsyncFiles.exists(a));
            assertEquals("A", AsyncFiles.readString(b), "rename replaces the target, as os.rename");
            assertEquals(dir.resolve("c"), AsyncFiles.move(b, dir.resolve("c")));
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.rename(a, b));
        });
    }

    // ------------------------------------------------------------------ os and os.path

    @Test
    void statAndThePathPredicates() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "12345");
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nothing"));
        AsyncTesting.run(() -> {
            BasicFileAttributes a = AsyncFiles.stat(f);
            assertTrue(a.isRegularFile());
            assertEquals(5, a.size());
            assertTrue(AsyncFiles.stat(link).isRegularFile(), "stat follows links");
            assertTrue(AsyncFiles.stat(link, LinkOption.NOFOLLOW_LINKS).isSymbolicLink(), "lstat");
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.stat(dangling));
            assertTrue(AsyncFiles.exists(f));
            assertFalse(AsyncFiles.exists(dangling));
            assertTrue(AsyncFiles.exists(dangling, LinkOption.NOFOLLOW_LINKS), "lexists");
            assertTrue(AsyncFiles.isFile(f));
            assertFalse(AsyncFiles.isFile(dir));
            assertTrue(AsyncFiles.isDirectory(dir));
            assertTrue(AsyncFiles.isSymbolicLink(link));
            assertFalse(AsyncFiles.isSymbolicLink(f));
            assertEquals(5, AsyncFiles.size(f));
        });
    }

    @Test
    void removeMkdirMakedirsRmdir() throws IOException {
        AsyncTesting.run(() -> {
            Path d = dir.resolve("d");
            AsyncFiles.mkdir(d);
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFiles.mkdir(d));
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.mkdir(dir.resolve("x/y")));
            Path deep = dir.resolve("x/y/z");
            AsyncFiles.makedirs(deep);
            AsyncFiles.makedirs(deep); // exist_ok
            assertTrue(AsyncFiles.isDirectory(deep));
            Path f = AsyncFiles.writeString(deep.resolve("f"), "f");
            FileSystemException isDir = assertThrows(FileSystemException.class, () -> AsyncFiles.remove(deep));
            assertEquals("Is a directory", isDir.getReason());
            assertThrows(DirectoryNotEmptyException.class, () -> AsyncFiles.rmdir(deep));
            assertThrows(NotDirectoryException.class, () -> AsyncFiles.rmdir(f));
            AsyncFiles.remove(f);
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.remove(f));
            AsyncFiles.rmdir(deep);
            assertFalse(AsyncFiles.exists(deep));
        });
    }

    @Test
    void linksSymlinksAndReadlink() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "content");
        AsyncTesting.run(() -> {
            Path hard = dir.resolve("hard");
            AsyncFiles.link(f, hard);
            assertEquals("content", AsyncFiles.readString(hard));
            assertTrue(Files.isSameFile(f, hard));
            Path soft = dir.resolve("soft");
            AsyncFiles.symlink(Path.of("f"), soft); // relative to the link's directory
            assertEquals(Path.of("f"), AsyncFiles.readlink(soft));
            assertEquals("content", AsyncFiles.readString(soft));
            assertThrows(NotLinkException.class, () -> AsyncFiles.readlink(f));
            assertThrows(FileAlreadyExistsException.class, () -> AsyncFiles.symlink(f, soft));
        });
    }

    @Test
    void listdirAndScandirSeeEveryEntryWithItsAttributes() throws IOException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 600; i++) { // more than two batches of 256
            Files.writeString(dir.resolve("file" + i), "x".repeat(i % 5));
            names.add("file" + i);
        }
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("sub"));
        names.add("sub");
        names.add("link");
        AsyncTesting.run(() -> {
            Set<String> listed = new HashSet<>();
            for (Path p : AsyncFiles.listdir(dir)) {
                listed.add(p.getFileName().toString());
                assertEquals(dir, p.getParent());
            }
            assertEquals(names, listed);
            Set<String> scanned = new HashSet<>();
            try (DirectoryScan scan = AsyncFiles.scandir(dir)) {
                for (DirEntry e : scan) {
                    scanned.add(e.name());
                    switch (e.name()) {
                        case "sub" -> assertTrue(e.isDirectory());
                        case "link" -> assertTrue(e.isSymbolicLink() && !e.isDirectory(), "links are not followed");
                        default -> {
                            assertTrue(e.isFile());
                            int i = Integer.parseInt(e.name().substring(4));
                            assertEquals(i % 5, e.attributes().size());
                        }
                    }
                }
                assertThrows(IllegalStateException.class, scan::iterator, "iterated once");
            }
            assertEquals(names, scanned);
            assertThrows(NotDirectoryException.class, () -> AsyncFiles.scandir(dir.resolve("file1")));
            assertThrows(NoSuchFileException.class, () -> AsyncFiles.listdir(dir.resolve("none")));
        });
    }

    @Test
    void aScanClosedEarlyReleasesItsDirectory() throws IOException {
        for (int i = 0; i < 300; i++) {
            Files.createFile(dir.resolve("e" + i));
        }
        AsyncTesting.run(() -> {
            long before = openFds();
            for (int round = 0; round < 50; round++) {
                try (DirectoryScan scan = AsyncFiles.scandir(dir)) {
                    for (DirEntry e : scan) {
                        break;
                    }
                }
            }
            assertTrue(openFds() <= before + 2, "no directory left open: " + before + " -> " + openFds());
        });
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void walkIsDepthFirstPreOrderAndStopsAtMaxDepth() throws IOException {
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/f1"), "1");
        Files.writeString(dir.resolve("a/b/f2"), "2");
        Files.writeString(dir.resolve("a/b/c/f3"), "3");
        AsyncTesting.run(() -> {
            List<Path> walked = new ArrayList<>();
            try (DirectoryScan walk = AsyncFiles.walk(dir.resolve("a"))) {
                for (DirEntry e : walk) {
                    walked.add(dir.relativize(e.path()));
                }
            }
            List<Path> expected;
            try (Stream<Path> s = Files.walk(dir.resolve("a"))) {
                expected = s.map(dir::relativize).toList();
            }
            assertEquals(expected, walked, "the order of Files.walk");
            List<Path> shallow = new ArrayList<>();
            try (DirectoryScan walk = AsyncFiles.walk(dir.resolve("a"), 1)) {
                for (DirEntry e : walk) {
                    shallow.add(dir.relativize(e.path()));
                }
            }
            assertEquals(3, shallow.size(), "a, a/b, a/f1: " + shallow);
            try (DirectoryScan walk = AsyncFiles.walk(dir.resolve("a/f1"))) {
                List<DirEntry> one = new ArrayList<>();
                walk.forEach(one::add);
                assertEquals(1, one.size(), "a file walks to itself");
                assertTrue(one.get(0).isFile());
            }
        });
    }

    @Test
    void aWalkFollowingALinkLoopFails() throws IOException {
        Files.createDirectories(dir.resolve("r/s"));
        Files.createSymbolicLink(dir.resolve("r/s/up"), dir.resolve("r"));
        AsyncTesting.run(() -> {
            int seen = 0;
            try (DirectoryScan walk = AsyncFiles.walk(dir.resolve("r"))) {
                for (DirEntry e : walk) {
                    seen++;
                }
            }
            assertEquals(3, seen, "without FOLLOW_LINKS the link is an entry");
            assertThrows(FileSystemLoopException.class, () -> {
                try (DirectoryScan walk = AsyncFiles.walk(dir.resolve("r"), FileVisitOption.FOLLOW_LINKS)) {
                    for (DirEntry e : walk) {
                        e.name();
                    }
                }
            });
        });
    }

    // ------------------------------------------------------------------ temporary files

    @Test
    void aTemporaryFileExistsWhileOpenAndIsDeletedOnClose() {
        AsyncTesting.run(() -> {
            Path p;
            try (AsyncFile f = AsyncFiles.temporaryFile(dir, "pre", ".suf")) {
                p = f.path();
                assertTrue(p.getFileName().toString().startsWith("pre"));
                assertTrue(AsyncFiles.exists(p));
                f.write("scratch".getBytes(US_ASCII));
                f.seek(0);
                assertEquals("scratch", new String(f.readAll(), US_ASCII));
            }
            assertFalse(AsyncFiles.exists(p));
            try (AsyncFile f = AsyncFiles.temporaryFile()) {
                p = f.path();
                assertEquals(Path.of(System.getProperty("java.io.tmpdir")), p.getParent());
            }
            assertFalse(AsyncFiles.exists(p));
        });
    }

    @Test
    void aTemporaryDirectoryIsDeletedWithItsContents() {
        AsyncTesting.run(() -> {
            Path p;
            try (TemporaryDirectory tmp = AsyncFiles.temporaryDirectory(dir, "t")) {
                p = tmp.path();
                AsyncFiles.makedirs(p.resolve("x/y"));
                AsyncFiles.writeString(p.resolve("x/y/f"), "f");
                AsyncFiles.symlink(dir, p.resolve("out")); // a link out: deleted, not followed
            }
            assertFalse(AsyncFiles.exists(p, LinkOption.NOFOLLOW_LINKS));
            assertTrue(AsyncFiles.exists(dir), "the link's target survives");
        });
    }
}
