package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.AttachPoint.Subject;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which attachments a program may make: allowed hook kinds and, for hooks bound to a kernel object, allowed objects
 * by glob pattern. Immutable; build it from strings with {@link #of(List, List)}.
 *
 * <ul>
 *   <li>Types: hook kinds as {@link AttachPoint#kind()} names them ("tracepoint", "uprobe", "xdp", "cgroup_skb", ...)
 *       or "*" for every kind.
 *   <li>Targets: {@code interface:<glob>}, {@code cgroup:<glob>}, {@code binary:<glob>}. Globs follow
 *       {@link FileSystems#getDefault()} glob syntax: {@code *} stays within one path component, {@code **} crosses
 *       them ({@code cgroup:/sys/fs/cgroup/unified/**}). An attachment to an interface, cgroup or binary needs a
 *       matching pattern of that class; tracepoints and other kernel-wide hooks need only their kind allowed.
 * </ul>
 */
public final class AttachPolicy {
    /** Everything allowed: the default for a local root user running a module by hand. */
    public static final AttachPolicy PERMISSIVE =
            of(List.of("*"), List.of("interface:**", "cgroup:**", "binary:**"));

    private record TargetPattern(Subject subject, String glob, PathMatcher matcher) {
        boolean matches(AttachPoint point) {
            return subject == point.subject() && matcher.matches(Path.of(point.subjectName()));
        }

        @Override
        public String toString() {
            return subject.word() + ":" + glob;
        }
    }

    private final Set<String> types;
    private final List<TargetPattern> targets;

    private AttachPolicy(Set<String> types, List<TargetPattern> targets) {
        this.types = types;
        this.targets = targets;
    }

    /**
     * @param types allowed hook kinds, or "*"
     * @param targets allowed objects as {@code interface:|cgroup:|binary:<glob>}
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static AttachPolicy of(List<String> types, List<String> targets) {
        List<TargetPattern> patterns = new ArrayList<>();
        for (String target : targets) {
            int colon = target.indexOf(':');
            Subject subject = colon <= 0 ? null : subjectOf(target.substring(0, colon));
            String glob = colon < 0 ? "" : target.substring(colon + 1);
            if (subject == null || glob.isEmpty()) {
                throw new IllegalArgumentException("attach target pattern \"" + target
                        + "\": expected interface:<glob>, cgroup:<glob> or binary:<glob>");
            }
            try {
                patterns.add(new TargetPattern(subject, glob, FileSystems.getDefault().getPathMatcher("glob:" + glob)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("attach target pattern \"" + target + "\": " + e.getMessage(), e);
            }
        }
        for (String type : types) {
            if (type.isBlank()) {
                throw new IllegalArgumentException("attach type: empty name");
            }
        }
        return new AttachPolicy(Set.copyOf(types.stream().map(String::strip).toList()), List.copyOf(patterns));
    }

    private static Subject subjectOf(String word) {
        for (Subject s : Subject.values()) {
            if (s != Subject.NONE && s.word().equals(word.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    /** Why the attachment is denied, or empty when it is allowed. */
    public Optional<String> denial(AttachPoint point) {
        if (!types.contains("*") && !types.contains(point.kind())) {
            return Optional.of("program type " + point.kind() + " is not allowed (allowed: " + typesText() + ")");
        }
        if (point.subject() == Subject.NONE) {
            return Optional.empty();
        }
        if (point.subjectName().isEmpty()) {
            return Optional.empty(); // no object named: the attach itself fails with EINVAL
        }
        if (targets.stream().noneMatch(t -> t.matches(point))) {
            return Optional.of(point.subject().word() + " " + point.subjectName() + " is not an allowed "
                    + point.kind() + " target (allowed: " + targetsText() + ")");
        }
        return Optional.empty();
    }

    private String typesText() {
        return types.isEmpty() ? "none" : String.join(",", types.stream().sorted().toList());
    }

    private String targetsText() {
        return targets.isEmpty() ? "none" : String.join(",", targets.stream().map(TargetPattern::toString).toList());
    }

    /** One line for start-up output: "types=*; targets=interface:**,cgroup:**,binary:**". */
    @Override
    public String toString() {
        return "types=" + typesText() + "; targets=" + targetsText();
    }
}
