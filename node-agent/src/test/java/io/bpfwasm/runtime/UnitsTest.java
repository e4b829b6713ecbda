package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void durations() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Units.parseDuration("10")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10' is not a duration");
        assertThatThrownBy(() -> Units.parseDuration("-1s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizes() {
        assertThat(Units.parseSize("65536")).isEqualTo(65536);
        assertThat(Units.parseSize("64Ki")).isEqualTo(64 << 10);
        assertThat(Units.parseSize("64Mi")).isEqualTo(64L << 20);
        assertThat(Units.parseSize("64MiB")).isEqualTo(64L << 20);
        assertThat(Units.parseSize("256M")).isEqualTo(256_000_000L);
        assertThat(Units.parseSize("1Gi")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> Units.parseSize("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> Units.parseSize("99999999999999999999Gi"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
