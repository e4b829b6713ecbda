# Sourced by the scripts: the JDK and Maven settings every build and test uses.
export JAVA_HOME="${BPFWASM_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava warns on JDK 25 about sun.misc.Unsafe; the warning is Maven's, not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
BPFWASM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BPFWASM_ROOT
