package io.bpfwasm.bpf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed bpf_object__load into an exception that names what failed, from libbpf's log lines: the
 * program libbpf reports ("prog 'NAME': BPF program load failed: ...") and the verifier log it prints between
 * "-- BEGIN PROG LOAD LOG --" and "-- END PROG LOAD LOG --". Pure logic, so it is tested without a kernel.
 */
final class LoadFailure {
    /** A program of the object, as far as messages need it. */
    record ProgramInfo(String name, String section, String typeName) {}

    private static final Pattern FAILED_PROGRAM =
            Pattern.compile("prog '([^']+)': (?:BPF program load failed|failed to load)");
    private static final Pattern LOG_BEGIN = Pattern.compile("prog '([^']+)': -- BEGIN PROG LOAD LOG --");
    private static final String LOG_END = "-- END PROG LOAD LOG --";
    private static final int SHOWN_LINES = 3;

    private LoadFailure() {}

    /**
     * @param errno positive errno returned by bpf_object__load
     * @param errnoText the C library's (or libbpf's) text for errno
     * @param logLines every libbpf line logged during open and load
     */
    static BpfException describe(String objectName, List<ProgramInfo> programs, int errno, String errnoText,
            List<String> logLines) {
        String failedName = failedProgram(logLines);
        ProgramInfo failed = programs.stream().filter(p -> p.name().equals(failedName)).findFirst().orElse(null);
        if (failed == null) {
            return new BpfException("object " + objectName + ": load failed: " + errnoText + " (errno " + errno + ")"
                    + lastLines(logLines), errno);
        }
        String program = "program " + failed.name() + " (" + failed.section() + ")";
        List<String> verifierLog = verifierLog(failed.name(), logLines);
        if (!verifierLog.isEmpty()) {
            return new VerifierException(program + ": rejected by the verifier (" + errnoText + "): "
                    + String.join("; ", relevantVerifierLines(verifierLog)), errno, verifierLog);
        }
        if (errno == Errno.EPERM || errno == Errno.EOPNOTSUPP || errno == Errno.ENOTSUPP) {
            return new BpfException(program + ": the kernel refused to load this program type ("
                    + failed.typeName() + "): " + errnoText, errno);
        }
        return new BpfException(program + ": load failed: " + errnoText + " (errno " + errno + ")"
                + lastLines(logLines), errno);
    }

    static String failedProgram(List<String> logLines) {
        for (String line : logLines) {
            Matcher m = FAILED_PROGRAM.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The verifier log libbpf printed for program, without the BEGIN/END markers; empty when there was none. */
    static List<String> verifierLog(String program, List<String> logLines) {
        List<String> log = new ArrayList<>();
        boolean inside = false;
        for (String line : logLines) {
            if (!inside) {
                Matcher m = LOG_BEGIN.matcher(line);
                inside = m.find() && m.group(1).equals(program);
            } else if (line.contains(LOG_END)) {
                String before = line.substring(0, line.indexOf(LOG_END));
                if (!before.isBlank()) {
                    log.add(before);
                }
                break;
            } else {
                log.add(line);
            }
        }
        return log;
    }

    /** The last lines that say why: the verifier ends with statistics lines that explain nothing. */
    static List<String> relevantVerifierLines(List<String> verifierLog) {
        List<String> reasons = verifierLog.stream()
                .filter(l -> !l.startsWith("processed ") && !l.startsWith("verification time"))
                .filter(l -> !l.isBlank())
                .toList();
        return reasons.subList(Math.max(0, reasons.size() - SHOWN_LINES), reasons.size());
    }

    private static String lastLines(List<String> logLines) {
        if (logLines.isEmpty()) {
            return "";
        }
        List<String> tail = logLines.subList(Math.max(0, logLines.size() - SHOWN_LINES), logLines.size());
        return "; libbpf: " + String.join("; ", tail);
    }
}
