package io.github.onnxgpu.benchmarks.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.report.ScenarioResult;
import io.github.onnxgpu.benchmarks.report.Summary;
import io.github.onnxgpu.benchmarks.report.Table;
import io.github.onnxgpu.benchmarks.report.TargetCheck;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialReport.ModelReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.ProbeSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.WarmupSpec;

/**
 * Scenario 10: does the starter's start-up tuning pick the candidate that an independent
 * measurement finds fastest, and what does it cost? Per trial, the detector at one warmed
 * shape: the starter in a fresh JVM with {@code tuning.enabled} over the default
 * candidates and an empty cache directory (its choice and measurements read from
 * {@code /actuator/onnx}), again on the same directory (a cache hit), and without tuning;
 * then every candidate the tuner listed in a fresh hand-written JVM, warmed and timed for
 * as many runs as the tuner times. On the CPU the defaults are intra-op thread counts;
 * with {@code --gpu}, cuDNN's algorithm search.
 */
public final class TuningScenario implements Scenario {

	static final String ID = "10";

	static final String TITLE = "Start-up tuning";

	static final String MEASURES = "Whether tuning.enabled over the default candidates picks the candidate that an "
			+ "independent measurement (a fresh hand-written JVM per candidate and trial) finds fastest, by how much, "
			+ "and what tuning costs: tuningMillis, and JVM start to ready with tuning, with a cache hit and without "
			+ "tuning.";

	/**
	 * Candidates whose independent p50 is within this of the fastest's count as a tie.
	 */
	static final double TIE = 0.03;

	private static final String TUNED = "tuning, empty cache";

	private static final String CACHED = "tuning, cache hit";

	private static final String DISABLED = "tuning disabled";

	private static final String INDEPENDENT = "independent, candidate ";

	@Override
	public List<ScenarioResult> run(ScenarioContext context) {
		BenchmarkModel model = context.detector();
		String shape = model.warmedShapes().get(0);
		ProviderSpec base = context.gpu() ? ProviderSpec.cuda(null, null) : ProviderSpec.cpu();
		List<TrialRecord> starts = new ArrayList<>();
		List<TrialRecord> measured = new ArrayList<>();
		List<Candidate> candidates = null;
		for (int trial = 1; trial <= context.profile().trials(); trial++) {
			Path cache = newCache(context, trial);
			TrialRecord tuned = start(context, model, shape, base, TUNED, trial,
					tuningProperties(context, model, cache));
			starts.add(tuned);
			if (candidates == null) {
				candidates = Candidate.listed(tuning(tuned), base);
			}
			starts.add(start(context, model, shape, base, CACHED, trial, tuningProperties(context, model, cache)));
			starts.add(start(context, model, shape, base, DISABLED, trial, Map.of()));
			// the order of the candidates rotates between trials, so that a slow minute
			// does
			// not always land on the same one
			for (int i = 0; i < candidates.size(); i++) {
				Candidate candidate = candidates.get((i + trial - 1) % candidates.size());
				measured.add(measure(context, model, shape, candidate, trial));
			}
		}
		return List.of(result(context, model, shape, candidates, starts, measured));
	}

	private static Map<String, String> tuningProperties(ScenarioContext context, BenchmarkModel model, Path cache) {
		String prefix = "onnx.models." + model.name() + ".tuning.";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(prefix + "enabled", "true");
		properties.put(prefix + "runs", String.valueOf(context.profile().tuningRuns()));
		properties.put(prefix + "cache.directory", cache.toAbsolutePath().toString());
		return properties;
	}

	private static TrialRecord start(ScenarioContext context, BenchmarkModel model, String shape, ProviderSpec base,
			String setup, int trial, Map<String, String> properties) {
		int runs = context.profile().tuningRuns();
		TrialSpec spec = new TrialSpec(List.of(model.specWarmedAt(shape)), new WarmupSpec(true, 3, 1), base,
				List.of(probe(model, shape)), context.profile().steadyDiscard(), runs, 0, 0, properties);
		context.log("tuning: " + model.name() + " on " + base.label() + ", " + setup + ", trial " + trial);
		TrialRecord record = new TrialRecord(base.label(), setup, model.name(), trial,
				context.launcher().starter(spec));
		if (!setup.equals(DISABLED) && tuning(record) == null) {
			throw new IllegalStateException("The starter's /actuator/onnx has no tuning section for '" + model.name()
					+ "' with " + properties.keySet());
		}
		return record;
	}

	// the hand-written baseline with the candidate's settings, warmed with as many
	// untimed
	// runs as are then timed, at the same shape
	private static TrialRecord measure(ScenarioContext context, BenchmarkModel model, String shape, Candidate candidate,
			int trial) {
		int runs = context.profile().tuningRuns();
		TrialSpec spec = new TrialSpec(List.of(model.specWarmedAt(shape)), new WarmupSpec(true, runs, 1),
				candidate.provider(), List.of(probe(model, shape)), 0, runs, 0, 0, Map.of());
		context.log("tuning: " + model.name() + ", independent measurement of candidate " + candidate.index() + " ("
				+ candidate.provider().label() + "), trial " + trial);
		return new TrialRecord(candidate.provider().label(), INDEPENDENT + candidate.index(), model.name(), trial,
				context.launcher().handWritten(spec));
	}

	private static ProbeSpec probe(BenchmarkModel model, String shape) {
		return new ProbeSpec(model.name(), Map.of(model.input(), shape), true);
	}

	private static Path newCache(ScenarioContext context, int trial) {
		try {
			return Files.createDirectories(context.workDirectory().resolve("tuning-cache-" + trial));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ScenarioResult result(ScenarioContext context, BenchmarkModel model, String shape,
			List<Candidate> candidates, List<TrialRecord> starts, List<TrialRecord> measured) {
		int trials = context.profile().trials();
		List<TrialRecord> tuned = setup(starts, TUNED);
		Map<Integer, Double> independentP50 = new LinkedHashMap<>();
		for (Candidate candidate : candidates) {
			independentP50.put(candidate.index(),
					Summary
						.of(setup(measured, INDEPENDENT + candidate.index()).stream().map(TuningScenario::p50).toList())
						.median());
		}
		int fastest = lowest(independentP50);
		double best = independentP50.get(fastest);
		double worst = independentP50.values().stream().mapToDouble(Double::doubleValue).max().orElse(best);
		Table.Builder choice = Table.builder(
				"Per candidate: the tuner's measurements (/actuator/onnx of the " + trials
						+ " starts with an empty cache) and the independent measurement (a fresh hand-written JVM per "
						+ "candidate and trial, " + context.profile().tuningRuns() + " timed runs at " + model.input()
						+ ": " + shape + " after as many untimed); median (min–max) ms",
				"Candidate", "Settings", "Chosen by the tuner", "Tuner: sum of p50 ms", "Tuner: warmup ms",
				"Independent p50 ms", "Over the fastest");
		for (Candidate candidate : candidates) {
			long chosen = tuned.stream().filter((record) -> chosen(record) == candidate.index()).count();
			double p50 = independentP50.get(candidate.index());
			choice.row(String.valueOf(candidate.index()), candidate.label(), chosen + " of " + tuned.size(),
					summary(tuned, (record) -> candidateFigure(record, candidate.index(), "sumP50Millis")).format(2),
					summary(tuned, (record) -> candidateFigure(record, candidate.index(), "warmupMillis")).format(0),
					summary(setup(measured, INDEPENDENT + candidate.index()), TuningScenario::p50).format(2),
					(candidate.index() == fastest) ? "fastest" : percent(p50 / best - 1));
		}
		double disabledReady = summary(setup(starts, DISABLED), TuningScenario::readyMs).median();
		Table.Builder ready = Table.builder("Getting ready, the same " + trials + " trials; median (min–max) ms",
				"Setup", "Tuning status", "tuningMillis", "JVM start → ready ms", "Refresh → ready ms",
				"Against tuning disabled", "Steady p50 after ready ms");
		for (String setup : List.of(TUNED, CACHED, DISABLED)) {
			List<TrialRecord> group = setup(starts, setup);
			Summary readyMs = summary(group, TuningScenario::readyMs);
			ready.row(setup, statuses(group), tuningMillis(group), readyMs.format(0),
					summary(group, (record) -> record.report().refreshToReadyMs()).format(0),
					setup.equals(DISABLED) ? "–"
							: String.format(Locale.ROOT, "x%.2f", readyMs.median() / disabledReady),
					summary(group, TuningScenario::p50).format(2));
		}
		long agreeing = tuned.stream().filter((record) -> agrees(independentP50, chosen(record), best)).count();
		long agreeingInTrial = tuned.stream().filter((record) -> agreesInTrial(measured, record)).count();
		int pick = mostChosen(tuned);
		long cacheHits = setup(starts, CACHED).stream().filter((record) -> "CACHED".equals(status(record))).count();
		List<TargetCheck> targets = List.of(
				new TargetCheck("The tuner's choice against the independently fastest candidate",
						"the same candidate, or within " + Math.round(TIE * 100) + " % (a tie) in every start",
						"agreed in " + agreeing + " of " + tuned.size() + " starts; mostly chose candidate " + pick
								+ ", independently fastest: candidate " + fastest
								+ ((pick == fastest) ? "" : agrees(independentP50, pick, best) ? " (a tie)" : ""),
						agreeing == tuned.size()),
				new TargetCheck("A second start on the same cache directory", "status CACHED (no tuning)",
						"CACHED in " + cacheHits + " of " + trials + " starts", cacheHits == trials));
		double tunedReady = summary(tuned, TuningScenario::readyMs).median();
		double cachedReady = summary(setup(starts, CACHED), TuningScenario::readyMs).median();
		List<String> notes = List.of(
				"Against the independent measurement of the same trial (the JVMs right after that trial's starts) "
						+ "rather than the median over all trials, the tuner's choice was the fastest or a tie in "
						+ agreeingInTrial + " of " + tuned.size() + " starts.",
				"Margin, in the independent measurement (median over trials of each candidate's p50): the tuner's "
						+ "usual pick (candidate " + pick + ") is " + percent(independentP50.get(pick) / best - 1)
						+ " over the fastest, the slowest candidate " + percent(worst / best - 1) + ".",
				"Cost: tuning took " + tuningMillis(tuned) + " ms (tuningMillis, median (min–max)); JVM start to ready "
						+ format(tunedReady) + " ms with tuning, " + format(cachedReady) + " ms with a cache hit, "
						+ format(disabledReady) + " ms without tuning: x" + ratio(tunedReady / disabledReady) + " and x"
						+ ratio(cachedReady / disabledReady) + " of the start without tuning.",
				"The tuner's choice rule: the lowest sum of p50 over the warmup samples, candidates within 3 % of "
						+ "the best going to the one listed first. Here there is one sample, so the sum is its p50.",
				"Every start and every independent measurement is a fresh JVM; a candidate's order among the "
						+ "independent measurements rotates between trials.");
		List<TrialRecord> data = new ArrayList<>(starts);
		data.addAll(measured);
		return ScenarioResult.completed(ID, TITLE, MEASURES, List.of(choice.build(), ready.build()), targets, notes,
				data);
	}

	private static boolean agrees(Map<Integer, Double> independentP50, int chosen, double best) {
		Double p50 = independentP50.get(chosen);
		return p50 != null && p50 <= best * (1 + TIE);
	}

	// the tuned start's choice against the independent measurement of its own trial
	private static boolean agreesInTrial(List<TrialRecord> measured, TrialRecord tuned) {
		Map<Integer, Double> p50 = new LinkedHashMap<>();
		measured.stream()
			.filter((record) -> record.trial() == tuned.trial())
			.forEach((record) -> p50.put(Integer.valueOf(record.setup().substring(INDEPENDENT.length())), p50(record)));
		return !p50.isEmpty() && agrees(p50, chosen(tuned), p50.get(lowest(p50)));
	}

	private static int lowest(Map<Integer, Double> values) {
		return values.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
	}

	private static int mostChosen(List<TrialRecord> tuned) {
		Map<Integer, Long> counts = tuned.stream()
			.collect(Collectors.groupingBy(TuningScenario::chosen, LinkedHashMap::new, Collectors.counting()));
		return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
	}

	private static List<TrialRecord> setup(List<TrialRecord> records, String setup) {
		return records.stream().filter((record) -> record.setup().equals(setup)).toList();
	}

	private static String statuses(List<TrialRecord> group) {
		return group.stream()
			.map(TuningScenario::status)
			.map((status) -> (status != null) ? status : "–")
			.distinct()
			.collect(Collectors.joining(", "));
	}

	private static Summary summary(List<TrialRecord> group, ToDoubleFunction<TrialRecord> figure) {
		return Summary.of(group.stream().map((record) -> figure.applyAsDouble(record)).toList());
	}

	private static double readyMs(TrialRecord record) {
		return record.report().jvmStartToReadyMs();
	}

	private static double p50(TrialRecord record) {
		return record.report().probes().get(0).steadyP50Ms();
	}

	static Map<String, Object> tuning(TrialRecord record) {
		ModelReport model = record.report().models().get(0);
		return model.tuning();
	}

	private static String status(TrialRecord record) {
		Map<String, Object> tuning = tuning(record);
		return (tuning != null) ? String.valueOf(tuning.get("status")) : null;
	}

	// -1 when the tuner chose nothing (every candidate failed)
	private static int chosen(TrialRecord record) {
		Object chosen = tuning(record).get("chosen");
		return (chosen instanceof Number number) ? number.intValue() : -1;
	}

	// null when tuning did not run (a cache hit, or tuning disabled)
	private static Double tuningMillis(TrialRecord record) {
		Map<String, Object> tuning = tuning(record);
		Object millis = (tuning != null) ? tuning.get("tuningMillis") : null;
		return (millis instanceof Number number) ? number.doubleValue() : null;
	}

	private static String tuningMillis(List<TrialRecord> group) {
		List<Double> millis = group.stream().map(TuningScenario::tuningMillis).filter(Objects::nonNull).toList();
		return millis.isEmpty() ? "–" : Summary.of(millis).format(0);
	}

	@SuppressWarnings("unchecked")
	private static double candidateFigure(TrialRecord record, int index, String figure) {
		List<Map<String, Object>> candidates = (List<Map<String, Object>>) tuning(record).get("candidates");
		Object value = candidates.get(index).get(figure);
		return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
	}

	private static String percent(double fraction) {
		return String.format(Locale.ROOT, "%+.1f %%", fraction * 100);
	}

	private static String ratio(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static String format(double millis) {
		return String.format(Locale.ROOT, "%.0f", millis);
	}

	/**
	 * A candidate as the tuner listed it, and the same settings for the hand-written
	 * trial.
	 *
	 * @param index its index in the tuner's list
	 * @param label its settings as written, such as {@code session.intra-op-threads=1}
	 * @param provider the hand-written trial's provider and thread count with those
	 * settings
	 */
	record Candidate(int index, String label, ProviderSpec provider) {

		/**
		 * The candidates of a tuning section.
		 * @param tuning the {@code tuning} section of {@code /actuator/onnx}
		 * @param base the provider the settings apply to
		 * @return the candidates, in the tuner's order
		 */
		@SuppressWarnings("unchecked")
		static List<Candidate> listed(Map<String, Object> tuning, ProviderSpec base) {
			List<Map<String, Object>> listed = (List<Map<String, Object>>) tuning.get("candidates");
			List<Candidate> candidates = new ArrayList<>();
			for (int i = 0; i < listed.size(); i++) {
				Map<String, Object> settings = (Map<String, Object>) listed.get(i).get("settings");
				String label = settings.entrySet()
					.stream()
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.collect(Collectors.joining(", "));
				candidates.add(new Candidate(i, label, provider(settings, base)));
			}
			return candidates;
		}

		/**
		 * The hand-written trial's provider with a candidate's settings.
		 * @param settings the settings, as the endpoint shows them
		 * @param base the provider they apply to
		 * @return the provider
		 * @throws IllegalStateException for a setting the hand-written trial cannot apply
		 */
		static ProviderSpec provider(Map<String, Object> settings, ProviderSpec base) {
			ProviderSpec provider = base;
			for (Map.Entry<String, Object> setting : settings.entrySet()) {
				String value = String.valueOf(setting.getValue());
				provider = switch (setting.getKey()) {
					case "session.intra-op-threads" -> provider.withIntraOpThreads(Integer.valueOf(value));
					case "cuda.cudnn-conv-algo-search" ->
						provider.withCudnn(value.toUpperCase(Locale.ROOT), provider.cudnnConv1dPadToNc1d());
					case "cuda.cudnn-conv1d-pad-to-nc1d" ->
						provider.withCudnn(provider.cudnnConvAlgoSearch(), Boolean.valueOf(value));
					default -> throw new IllegalStateException("The hand-written trial cannot apply the candidate "
							+ "setting '" + setting.getKey() + "=" + value + "'");
				};
			}
			return provider;
		}

	}

}
