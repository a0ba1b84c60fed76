package io.asyncio4j.apicheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the dump counts as API, on small classes of its own. */
class ApiDumpTest {

    /** A public class with one member of each visibility. */
    public static class Mixed {
        public int visibleField;
        int packageField;

        /** Makes one. */
        public Mixed() {
        }

        /** A public method. */
        public <T extends CharSequence> List<T> pick(List<T> from, int n) throws java.io.IOException {
            return from.subList(0, n);
        }

        /** Reachable by subclasses outside the package. */
        protected void hook() {
        }

        void packageMethod() {
        }

        @SuppressWarnings("unused")
        private void privateMethod() {
        }
    }

    static class Hidden {
        /** Public, but declared in a class the user cannot name. */
        public void inherited() {
        }
    }

    /** Public, extending a class the user cannot name. */
    public static final class ExposesHidden extends Hidden {
        /** Its own method. */
        public void own() {
        }
    }

    /** Sealed, with two permitted records. */
    public sealed interface Shape permits Circle, Square {
    }

    /** A circle. */
    public record Circle(double r) implements Shape {
    }

    /** A square. */
    public record Square(double side) implements Shape {
    }

    /** Version one of a signature. */
    public static final class V1 {
        /** Takes an int. */
        public void take(int n) {
        }
    }

    /** Version two: the same method with a wider parameter. */
    public static final class V2 {
        /** Takes a long. */
        public void take(long n) {
        }
    }

    @Test
    void packagePrivateAndPrivateMembersAreNotApi() {
        String d = ApiDump.describe(Mixed.class);
        assertTrue(d.contains("public int visibleField"), d);
        assertTrue(d.contains("protected void hook()"), d);
        assertFalse(d.contains("packageField"), d);
        assertFalse(d.contains("packageMethod"), d);
        assertFalse(d.contains("privateMethod"), d);
    }

    @Test
    void genericSignaturesAndThrowsClausesArePartOfTheLine() {
        String d = ApiDump.describe(Mixed.class);
        assertTrue(d.contains("  public <T extends java.lang.CharSequence> java.util.List<T> pick(java.util.List<T>,int)"
            + " throws java.io.IOException\n"), d);
    }

    @Test
    void publicMembersInheritedFromAHiddenSuperclassAreListed() {
        String d = ApiDump.describe(ExposesHidden.class);
        assertTrue(d.contains("public void inherited()"), d);
        assertTrue(d.contains("public void own()"), d);
        assertFalse(ApiDump.isVisible(Hidden.class));
    }

    @Test
    void aSealedTypeListsWhatItPermits() {
        String header = ApiDump.describe(Shape.class).lines().findFirst().orElseThrow();
        assertTrue(header.endsWith(" permits io.asyncio4j.apicheck.ApiDumpTest$Circle,"
            + " io.asyncio4j.apicheck.ApiDumpTest$Square"), header);
    }

    @Test
    void aChangedParameterTypeChangesTheMemberLine() {
        List<String> one = ApiDump.describe(V1.class).lines().skip(1).toList();
        List<String> two = ApiDump.describe(V2.class).lines().skip(1).toList();
        assertNotEquals(one, two);
        assertTrue(one.contains("  public void take(int)"), one.toString());
    }

    @Test
    void theDiffNamesTheTypeOfAChangedMember() {
        String d = PublicApiTest.diff("public class A\n  public void f(int)\n\n", "public class A\n  public void f(long)\n\n");
        assertEquals("+ public class A :: public void f(long)\n- public class A :: public void f(int)\n", d);
    }
}
