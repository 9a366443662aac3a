package io.github.onnxgpu.boot.internal.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link TuningChoice}, with sums of medians written out and the expected
 * winner written by hand.
 */
class TuningChoiceTests {

	@Test
	void lowestSumOfMediansWins() {
		assertThat(TuningChoice.choose(List.of(measured(6.0), measured(2.0), measured(4.0)))).isEqualTo(1);
	}

	@Test
	void lowestSumWinsWhenListedLast() {
		assertThat(TuningChoice.choose(List.of(measured(5.0), measured(4.0), measured(1.0)))).isEqualTo(2);
	}

	@Test
	void sumIsOverEverySampleNotTheFirst() {
		// the first sample alone would pick candidate 0
		CandidateMeasurement first = measured(1.0, 9.0);
		CandidateMeasurement second = measured(2.0, 2.0);
		assertThat(TuningChoice.choose(List.of(first, second))).isEqualTo(1);
	}

	@Test
	void failedCandidatesNeverWinEvenListedFirst() {
		assertThat(TuningChoice.choose(List.of(failed(), measured(3.0), failed(), measured(2.0)))).isEqualTo(3);
	}

	@Test
	void unmeasuredCandidatesNeverWin() {
		assertThat(TuningChoice
			.choose(List.of(CandidateMeasurement.unmeasured(Map.of("session.intra-op-threads", "1")), measured(9.0))))
			.isEqualTo(1);
	}

	@Test
	void slowerByLessThanThreePercentTiesAndTheFirstListedWins() {
		// 1.02 is 2 % slower than 1.00
		assertThat(TuningChoice.choose(List.of(measured(1.02), measured(1.00), measured(3.0)))).isEqualTo(0);
	}

	@Test
	void slowerByExactlyThreePercentStillTies() {
		assertThat(TuningChoice.choose(List.of(measured(103.0), measured(100.0)))).isEqualTo(0);
	}

	@Test
	void slowerByMoreThanThreePercentLoses() {
		assertThat(TuningChoice.choose(List.of(measured(1.04), measured(1.00)))).isEqualTo(1);
	}

	@Test
	void tieOfSeveralGoesToTheFirstListedAmongThem() {
		// candidate 0 is out of the margin; 1 and 3 are within it of the best (1.0)
		assertThat(TuningChoice.choose(List.of(measured(1.5), measured(1.01), measured(1.2), measured(1.0))))
			.isEqualTo(1);
	}

	@Test
	void tieIsMeasuredAgainstTheBestNotTheNeighbour() {
		// each is within 3 % of the one before, but only the last two of the best
		assertThat(TuningChoice.choose(List.of(measured(1.06), measured(1.04), measured(1.02), measured(1.0))))
			.isEqualTo(2);
	}

	@Test
	void equalSumsGoToTheFirstListed() {
		assertThat(TuningChoice.choose(List.of(measured(2.0), measured(2.0)))).isEqualTo(0);
	}

	@Test
	void whenEveryCandidateFailedNoneIsChosen() {
		assertThat(TuningChoice.choose(List.of(failed(), failed()))).isEqualTo(-1);
		assertThat(TuningChoice.choose(List.of())).isEqualTo(-1);
	}

	@Test
	void couldWinKeepsCandidatesWithinTheMarginOfTheBestSoFar() {
		assertThat(TuningChoice.couldWin(measured(1.03), 1.0)).isTrue();
		assertThat(TuningChoice.couldWin(measured(1.031), 1.0)).isFalse();
		assertThat(TuningChoice.couldWin(failed(), 1.0)).isFalse();
	}

	@Test
	void marginIsAgainstTheFastestOtherMeasuredCandidate() {
		List<CandidateMeasurement> candidates = List.of(measured(6.0), measured(2.0), failed(), measured(4.0));
		assertThat(TuningChoice.margin(candidates, 1)).isCloseTo(0.5, within(1e-12));
		// a tie lost by a faster candidate gives a negative margin
		assertThat(TuningChoice.margin(List.of(measured(1.02), measured(1.0)), 0)).isCloseTo(-0.02, within(1e-12));
		assertThat(TuningChoice.margin(List.of(measured(1.0), failed()), 0)).isNaN();
	}

	private static CandidateMeasurement measured(double... p50PerSample) {
		List<SampleMeasurement> samples = new ArrayList<>();
		for (double p50 : p50PerSample) {
			samples.add(new SampleMeasurement(Map.of("x", new long[] { 1, 3, 16, 16 }), p50 * 2, p50, p50 * 1.5));
		}
		return CandidateMeasurement.measured(Map.of("session.intra-op-threads", "1"), samples, 10.0);
	}

	private static CandidateMeasurement failed() {
		return CandidateMeasurement.failed(Map.of("session.intra-op-threads", "9"), null, "cannot be created");
	}

}
