package io.github.onnxgpu.benchmarks.trial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;

import io.github.onnxgpu.benchmarks.trial.TrialReport.ProbeReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.ProbeSpec;

/**
 * Times the requests of a trial once it is ready: first one request at every probed
 * shape, in order (each the first request that shape ever sees after ready), then the
 * steady state of every shape. Inputs are built before timing starts; a request is
 * {@code session.run} plus closing its result.
 */
public final class ProbeRunner {

	private final OrtEnvironment environment;

	private final Function<String, OrtSession> sessions;

	private final int steadyDiscard;

	private final int steadyRuns;

	private final int idleRuns;

	private final int idleGapMillis;

	/**
	 * Create a runner.
	 * @param environment the environment
	 * @param sessions the session of each model, by name
	 * @param steadyDiscard untimed runs per probe before the steady state is timed
	 * @param steadyRuns timed steady-state runs per probe
	 * @param idleRuns timed runs per probe that each follow an idle gap
	 * @param idleGapMillis the idle gap
	 */
	public ProbeRunner(OrtEnvironment environment, Function<String, OrtSession> sessions, int steadyDiscard,
			int steadyRuns, int idleRuns, int idleGapMillis) {
		this.environment = environment;
		this.sessions = sessions;
		this.steadyDiscard = steadyDiscard;
		this.steadyRuns = Math.max(1, steadyRuns);
		this.idleRuns = idleRuns;
		this.idleGapMillis = idleGapMillis;
	}

	/**
	 * A runner with the spec's counts.
	 * @param environment the environment
	 * @param sessions the session of each model, by name
	 * @param spec the trial
	 * @return the runner
	 */
	public static ProbeRunner of(OrtEnvironment environment, Function<String, OrtSession> sessions, TrialSpec spec) {
		return new ProbeRunner(environment, sessions, spec.steadyDiscard(), spec.steadyRuns(), spec.idleRuns(),
				spec.idleGapMillis());
	}

	/**
	 * Run the probes.
	 * @param probes the probes, in order
	 * @return a report per probe
	 * @throws OrtException when a run fails
	 */
	public List<ProbeReport> run(List<ProbeSpec> probes) throws OrtException {
		List<ProbeInputs> inputs = new ArrayList<>();
		try {
			for (int i = 0; i < probes.size(); i++) {
				ProbeSpec probe = probes.get(i);
				inputs
					.add(ProbeInputs.random(this.environment, session(probe).getInputInfo(), probe.inputs(), 1000 + i));
			}
			double[] first = new double[probes.size()];
			for (int i = 0; i < probes.size(); i++) {
				first[i] = timeOneRun(session(probes.get(i)), inputs.get(i));
			}
			List<ProbeReport> reports = new ArrayList<>();
			for (int i = 0; i < probes.size(); i++) {
				reports.add(steadyState(probes.get(i), inputs.get(i), first[i]));
			}
			return reports;
		}
		finally {
			inputs.forEach(ProbeInputs::close);
		}
	}

	private ProbeReport steadyState(ProbeSpec probe, ProbeInputs inputs, double firstMs) throws OrtException {
		OrtSession session = session(probe);
		for (int i = 0; i < this.steadyDiscard; i++) {
			timeOneRun(session, inputs);
		}
		double[] runs = new double[this.steadyRuns];
		for (int i = 0; i < runs.length; i++) {
			runs[i] = timeOneRun(session, inputs);
		}
		Arrays.sort(runs);
		return new ProbeReport(probe.model(), ProbeInputs.describe(probe.inputs()), probe.warmed(), firstMs,
				median(runs), runs[0], runs[runs.length - 1], runs.length, afterIdle(session, inputs));
	}

	// ONNX Runtime's worker threads spin between back-to-back runs and park when idle: a
	// request after a quiet moment may pay for waking them, warm or not
	private Double afterIdle(OrtSession session, ProbeInputs inputs) throws OrtException {
		if (this.idleRuns < 1) {
			return null;
		}
		double[] runs = new double[this.idleRuns];
		for (int i = 0; i < runs.length; i++) {
			try {
				Thread.sleep(this.idleGapMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted between runs", ex);
			}
			runs[i] = timeOneRun(session, inputs);
		}
		Arrays.sort(runs);
		return median(runs);
	}

	private OrtSession session(ProbeSpec probe) {
		return this.sessions.apply(probe.model());
	}

	private static double timeOneRun(OrtSession session, ProbeInputs inputs) throws OrtException {
		long start = System.nanoTime();
		try (Result result = session.run(inputs.tensors())) {
			result.size();
		}
		return (System.nanoTime() - start) / 1e6;
	}

	private static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
