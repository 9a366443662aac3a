package io.github.onnxgpu.benchmarks.trial;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.benchmarks.trial.LoadReport.LoadPoint;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's bookkeeping, which does not depend on the machine: every caller
 * with its own input, failures counted apart from successes with the first one's message,
 * and nearest-rank percentiles.
 */
class LoadGeneratorTests {

	@Test
	void closedLoopCallersEachUseTheirOwnInput() {
		Set<String> seen = ConcurrentHashMap.newKeySet();
		LoadGenerator generator = new LoadGenerator((input) -> seen.add(Thread.currentThread().getName() + "=" + input),
				4);

		LoadPoint point = generator.closed(4, Duration.ZERO, Duration.ofMillis(50));

		assertThat(point.loop()).isEqualTo(LoadPoint.CLOSED);
		assertThat(point.callers()).isEqualTo(4);
		assertThat(point.completed()).isPositive();
		assertThat(point.failed()).isZero();
		// caller i always calls with input i (on a busy machine, a caller may not get to
		// call at all within the period)
		assertThat(seen).isNotEmpty()
			.allMatch((call) -> call.matches("load-caller-([0-3])=\\1"), "caller i with input i")
			.isSubsetOf("load-caller-0=0", "load-caller-1=1", "load-caller-2=2", "load-caller-3=3");
	}

	@Test
	void failedCallsAreCountedApartWithTheFirstMessage() {
		LoadGenerator generator = new LoadGenerator((input) -> {
			throw new IllegalStateException("broken " + input);
		}, 1);

		LoadPoint point = generator.closed(1, Duration.ZERO, Duration.ofMillis(20));

		assertThat(point.completed()).isZero();
		assertThat(point.refused()).isZero();
		assertThat(point.failed()).isPositive();
		assertThat(point.firstError()).isEqualTo(IllegalStateException.class.getName() + ": broken 0");
		assertThat(point.p99Ms()).isZero();
	}

	@Test
	void openLoopTimesEveryArrivalOfTheMeasuredPeriod() {
		LoadGenerator generator = new LoadGenerator((input) -> {
		}, 2);

		LoadPoint point = generator.open(1000, 0.5, 4, Duration.ZERO, Duration.ofMillis(100));

		assertThat(point.loop()).isEqualTo(LoadPoint.OPEN);
		assertThat(point.targetRate()).isEqualTo(1000);
		assertThat(point.fraction()).isEqualTo(0.5);
		// 1000 arrivals per second over 100 ms, each scheduled at start + i ms
		assertThat(point.completed() + point.unfinished()).isEqualTo(100);
		assertThat(point.callers()).isBetween(1, 4);
	}

	@Test
	void refusedCallsAreCountedApartFromFailures() {
		LoadGenerator generator = new LoadGenerator((input) -> {
			throw new OnnxModelBusyException("tiny", OnnxModelBusyException.Reason.QUEUE_FULL,
					"full (onnx.models.tiny.batching.queue-size)", Duration.ofMillis(10));
		}, 1);

		LoadPoint point = generator.closed(1, Duration.ZERO, Duration.ofMillis(20));

		assertThat(point.refused()).isPositive();
		assertThat(point.failed()).isZero();
		assertThat(point.completed()).isZero();
		assertThat(point.firstError()).isNull();
	}

	@Test
	void percentilesAreNearestRank() {
		long[] sorted = new long[100];
		for (int i = 0; i < sorted.length; i++) {
			sorted[i] = (i + 1) * 1_000_000L;
		}
		assertThat(LoadGenerator.Recorder.percentile(sorted, 0.50)).isEqualTo(50);
		assertThat(LoadGenerator.Recorder.percentile(sorted, 0.99)).isEqualTo(99);
		assertThat(LoadGenerator.Recorder.percentile(new long[] { 3_000_000L }, 0.99)).isEqualTo(3);
		assertThat(LoadGenerator.Recorder.percentile(new long[0], 0.5)).isZero();
	}

}
