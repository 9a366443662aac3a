package io.github.onnxgpu.benchmarks.trial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

import io.github.onnxgpu.benchmarks.trial.TrialReport.ModelReport;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.ModelSpec;

/**
 * The baseline: what users write today without the starter. A plain Java main creates the
 * environment and one {@link OrtSession} per model with default options (plus CUDA and an
 * intra-op thread count when asked), and is ready. With warmup in the spec it also runs
 * every warmup shape by hand first, one model after another: the bare minimum the
 * starter's warmup is measured against.
 */
public final class HandWrittenTrial {

	private HandWrittenTrial() {
	}

	/**
	 * Run one trial.
	 * @param args the path of the trial spec
	 * @throws Exception when the trial fails
	 */
	public static void main(String[] args) throws Exception {
		TrialSpec spec = TrialOutput.readSpec(args);
		long start = System.nanoTime();
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		Map<String, OrtSession> sessions = new LinkedHashMap<>();
		List<ModelReport> models = new ArrayList<>();
		try {
			for (ModelSpec model : spec.models()) {
				long created = System.nanoTime();
				try (SessionOptions options = sessionOptions(spec.provider())) {
					sessions.put(model.name(), environment.createSession(model.file(), options));
				}
				models.add(new ModelReport(model.name(), spec.provider().cuda() ? "CUDA" : "CPU",
						(System.nanoTime() - created) / 1e6, null, null, null, null));
			}
			if (spec.warmup().enabled()) {
				warmUpByHand(environment, spec, sessions);
			}
			double readyWorkMs = (System.nanoTime() - start) / 1e6;
			double jvmStartToReadyMs = TrialOutput.millisSinceJvmStart();
			ProbeRunner probes = ProbeRunner.of(environment, sessions::get, spec);
			TrialOutput.print(new TrialReport(TrialReport.KIND, "hand-written", environment.getVersion(),
					jvmStartToReadyMs, null, readyWorkMs, models, probes.run(spec.probes())));
		}
		finally {
			for (OrtSession session : sessions.values()) {
				session.close();
			}
		}
	}

	private static SessionOptions sessionOptions(ProviderSpec provider) throws OrtException {
		SessionOptions options = new SessionOptions();
		if (provider.intraOpThreads() != null) {
			options.setIntraOpNumThreads(provider.intraOpThreads());
		}
		if (provider.cuda()) {
			try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
				if (provider.cudnnConvAlgoSearch() != null) {
					cuda.add("cudnn_conv_algo_search", provider.cudnnConvAlgoSearch());
				}
				if (provider.cudnnConv1dPadToNc1d() != null) {
					cuda.add("cudnn_conv1d_pad_to_nc1d", provider.cudnnConv1dPadToNc1d() ? "1" : "0");
				}
				options.addCUDA(cuda);
			}
		}
		return options;
	}

	private static void warmUpByHand(OrtEnvironment environment, TrialSpec spec, Map<String, OrtSession> sessions)
			throws OrtException {
		for (ModelSpec model : spec.models()) {
			OrtSession session = sessions.get(model.name());
			for (Map<String, String> shape : model.warmupShapes()) {
				try (ProbeInputs inputs = ProbeInputs.zeros(environment, session.getInputInfo(), shape)) {
					for (int i = 0; i < spec.warmup().iterations(); i++) {
						try (Result result = session.run(inputs.tensors())) {
							result.size();
						}
					}
				}
			}
		}
	}

}
