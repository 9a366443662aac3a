package io.github.onnxgpu.boot.model;

import java.time.Duration;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.cuda.CudaProviderSelector;
import io.github.onnxgpu.boot.cuda.ProviderChoice;
import io.github.onnxgpu.boot.warmup.WarmupPlan;

/**
 * Creates the session of a model: reads and checks the file, builds the session options
 * with the customizers and the execution provider, and checks the warmup shapes against
 * the model's inputs.
 *
 * @since 0.1.0
 */
public class OnnxSessionFactory {

	private final OrtEnvironment environment;

	private final CudaProviderSelector providerSelector;

	private final List<OrtSessionOptionsCustomizer> customizers;

	public OnnxSessionFactory(OrtEnvironment environment, CudaProviderSelector providerSelector,
			List<OrtSessionOptionsCustomizer> customizers) {
		this.environment = environment;
		this.providerSelector = providerSelector;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Load a model.
	 * @param definition the model
	 * @return the loaded model, whose session the caller must close
	 * @throws OnnxModelException when the model cannot be served as configured
	 */
	public OnnxModel create(ModelDefinition definition) {
		ModelSource source = ModelSource.of(definition);
		long start = System.nanoTime();
		OrtSession session = null;
		try {
			ProviderChoice provider;
			Duration providerSetup;
			SessionOptions options = sessionOptions(definition);
			try {
				long setupStart = System.nanoTime();
				provider = this.providerSelector.select(definition.name(), definition.cuda(), options);
				providerSetup = Duration.ofNanos(System.nanoTime() - setupStart);
				if (provider.fellBack()) {
					options.close();
					options = sessionOptions(definition);
				}
				session = createSession(definition, source, options);
			}
			finally {
				options.close();
			}
			Duration creation = Duration.ofNanos(System.nanoTime() - start);
			WarmupPlan plan = WarmupPlan.resolve(definition.name(), session.getInputInfo(), definition.warmup());
			return new OnnxModel(definition, session, provider, new OnnxModel.Timings(providerSetup, creation), plan);
		}
		catch (OrtException | RuntimeException ex) {
			closeQuietly(session);
			throw (ex instanceof OnnxModelException modelException) ? modelException
					: new OnnxModelException(definition.name(),
							OnnxModelException.modelProperty(definition.name(), "session"),
							"the session cannot be set up: " + ex.getMessage(),
							"check the session settings and customizers of this model", ex);
		}
	}

	private SessionOptions sessionOptions(ModelDefinition definition) throws OrtException {
		SessionOptions options = new SessionOptions();
		try {
			options.setLoggerId(definition.name());
			definition.session().applyTo(options);
			for (OrtSessionOptionsCustomizer customizer : this.customizers) {
				customizer.customize(definition.name(), options);
			}
			return options;
		}
		catch (OrtException | RuntimeException ex) {
			options.close();
			throw ex;
		}
	}

	private OrtSession createSession(ModelDefinition definition, ModelSource source, SessionOptions options) {
		try {
			return source.createSession(this.environment, options);
		}
		catch (OrtException ex) {
			String property = OnnxModelException.modelProperty(definition.name(), "location");
			String location = definition.describeLocation();
			if (String.valueOf(ex.getMessage()).toLowerCase().contains("external data")) {
				throw new OnnxModelException(definition.name(), property,
						"the model " + location + " keeps weights in external data files, which ONNX Runtime finds "
								+ "only next to a model file on disk: " + ex.getMessage(),
						"use a file: location for " + property + " with the data files beside the model (a model "
								+ "packaged in the application jar must be copied out at deploy time)",
						ex);
			}
			throw new OnnxModelException(definition.name(), property,
					"ONNX Runtime cannot load the model file " + location + " (" + source.size()
							+ " bytes), it may be truncated or not an ONNX model: " + ex.getMessage(),
					"point " + property + " at a complete .onnx file (check the download or export)", ex);
		}
	}

	private static void closeQuietly(@Nullable OrtSession session) {
		if (session != null) {
			try {
				session.close();
			}
			catch (OrtException ex) {
				// already failing; the original error matters
			}
		}
	}

}
