package io.github.onnxgpu.boot.internal.tuning;

import java.util.List;

/**
 * The rule that picks the winner: the lowest sum over the warmup samples of the median
 * run; candidates within {@value #TIE_MARGIN} of the best count as a tie, which goes to
 * the one listed first (users list the cheaper setting first, and a few percent are
 * within the noise of a shared host).
 */
public final class TuningChoice {

	/**
	 * How much slower than the best a candidate may be and still tie, as a fraction.
	 */
	public static final double TIE_MARGIN = 0.03;

	private TuningChoice() {
	}

	/**
	 * Pick the winner.
	 * @param candidates the candidates in the order listed
	 * @return the winner's index, -1 when no candidate was measured
	 */
	public static int choose(List<CandidateMeasurement> candidates) {
		double best = Double.MAX_VALUE;
		for (CandidateMeasurement candidate : candidates) {
			if (candidate.wasMeasured()) {
				best = Math.min(best, candidate.sumP50Millis());
			}
		}
		for (int i = 0; i < candidates.size(); i++) {
			if (couldWin(candidates.get(i), best)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Whether a candidate is within the tie margin of the best sum so far, so that it may
	 * still win: tuning keeps those sessions open and closes the others.
	 * @param candidate the candidate
	 * @param best the lowest sum of medians so far
	 * @return whether it may win
	 */
	public static boolean couldWin(CandidateMeasurement candidate, double best) {
		return candidate.wasMeasured() && candidate.sumP50Millis() <= best * (1 + TIE_MARGIN);
	}

	/**
	 * How much faster the winner is than the fastest other measured candidate, as a
	 * fraction of the other's sum: the margin the log line reports.
	 * @param candidates the candidates
	 * @param chosen the winner's index
	 * @return the margin, negative when a faster candidate lost a tie, {@code NaN} when
	 * no other candidate was measured
	 */
	public static double margin(List<CandidateMeasurement> candidates, int chosen) {
		double winner = candidates.get(chosen).sumP50Millis();
		double next = Double.NaN;
		for (int i = 0; i < candidates.size(); i++) {
			CandidateMeasurement other = candidates.get(i);
			if (i != chosen && other.wasMeasured() && (Double.isNaN(next) || other.sumP50Millis() < next)) {
				next = other.sumP50Millis();
			}
		}
		return (next - winner) / next;
	}

}
