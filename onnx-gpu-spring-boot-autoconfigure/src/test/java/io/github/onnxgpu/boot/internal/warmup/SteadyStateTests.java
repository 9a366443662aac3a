package io.github.onnxgpu.boot.internal.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SteadyState}, the rule that decides how long a warmup sample runs, fed
 * with made-up timings in place of a clock.
 */
class SteadyStateTests {

	private final SteadyState rule = new SteadyState(3, 20, 0.1);

	@Test
	void runsBelowTheMinimumAlwaysNeedAnother() {
		assertThat(this.rule.needsAnotherRun(millis())).isTrue();
		assertThat(this.rule.needsAnotherRun(millis(50, 50))).isTrue();
		assertThat(this.rule.needsAnotherRun(millis(50, 50, 50))).isFalse();
	}

	@Test
	void slowFirstRunsKeepTheSampleRunningUntilTheLastThreeAgree() {
		List<Duration> runs = new ArrayList<>();
		long[] timings = { 900, 400, 120, 60, 55, 56, 55, 55 };
		int index = 0;
		while (this.rule.needsAnotherRun(runs)) {
			runs.add(Duration.ofMillis(timings[index++]));
		}
		assertThat(runs).hasSize(6);
		assertThat(this.rule.isSteady(runs)).isTrue();
	}

	@Test
	void runsThatNeverSettleStopAtTheMaximumAndAreNotSteady() {
		SteadyState rule = new SteadyState(3, 7, 0.1);
		List<Duration> runs = new ArrayList<>();
		while (rule.needsAnotherRun(runs)) {
			runs.add(Duration.ofMillis((runs.size() % 2 == 0) ? 10 : 20));
		}
		assertThat(runs).hasSize(7);
		assertThat(rule.isSteady(runs)).isFalse();
	}

	@Test
	void maximumBelowTheMinimumMeansExactlyTheMinimum() {
		SteadyState rule = new SteadyState(4, 2, 0.1);
		assertThat(rule.needsAnotherRun(millis(100, 10, 100))).isTrue();
		assertThat(rule.needsAnotherRun(millis(100, 10, 100, 10))).isFalse();
	}

	@Test
	void fewerThanThreeRunsAreNeverSteady() {
		SteadyState rule = new SteadyState(1, 1, 0.1);
		assertThat(rule.needsAnotherRun(millis(5))).isFalse();
		assertThat(rule.isSteady(millis(5))).isFalse();
		assertThat(rule.isSteady(millis(5, 5))).isFalse();
	}

	@Test
	void toleranceIsAFractionOfTheMedianOfTheLastThree() {
		assertThat(this.rule.isSteady(millis(1000, 100, 109, 91))).isTrue();
		assertThat(this.rule.isSteady(millis(100, 112, 100))).isFalse();
		assertThat(new SteadyState(3, 20, 0.2).isSteady(millis(100, 112, 100))).isTrue();
	}

	private static List<Duration> millis(long... values) {
		return LongStream.of(values).mapToObj(Duration::ofMillis).toList();
	}

}
