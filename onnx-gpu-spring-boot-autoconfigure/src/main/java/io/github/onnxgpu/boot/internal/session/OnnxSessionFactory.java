package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtModelCompilationOptions;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.batching.BatchLayout;
import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.batching.BatchingSettings;
import io.github.onnxgpu.boot.internal.provider.CompiledModelCache;
import io.github.onnxgpu.boot.internal.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.internal.provider.ExecutionDevice;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSelector;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSettings;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice;
import io.github.onnxgpu.boot.internal.provider.TensorrtCacheState;
import io.github.onnxgpu.boot.internal.provider.TensorrtProfile;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.internal.tuning.TuningReport;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.model.ProfileShapes;

/**
 * Creates the session of a model: reads and checks the file, builds the session options
 * with the customizers and the execution provider, and checks the warmup shapes against
 * the model's inputs.
 */
public class OnnxSessionFactory {

	private static final Log logger = LogFactory.getLog(OnnxSessionFactory.class);

	private final OrtEnvironment environment;

	private final CudaProviderSelector providerSelector;

	private final List<OrtSessionOptionsCustomizer> customizers;

	private final DownloadSettings downloads;

	private final ExecutionProviderSelector executionProviders;

	/**
	 * Create a factory.
	 * @param environment the environment
	 * @param providerSelector chooses each model's execution provider
	 * @param customizers customize each session's options
	 * @param downloads the bounds of downloads of remote models
	 */
	public OnnxSessionFactory(OrtEnvironment environment, CudaProviderSelector providerSelector,
			List<OrtSessionOptionsCustomizer> customizers, DownloadSettings downloads) {
		this(environment, providerSelector,
				new ExecutionProviderSelector(environment, ExecutionProviderInstaller.ONNX_RUNTIME), customizers,
				downloads);
	}

	/**
	 * Create a factory.
	 * @param environment the environment
	 * @param providerSelector chooses each model's typed execution provider
	 * @param executionProviders adds the execution providers models ask for by name
	 * @param customizers customize each session's options
	 * @param downloads the bounds of downloads of remote models
	 */
	public OnnxSessionFactory(OrtEnvironment environment, CudaProviderSelector providerSelector,
			ExecutionProviderSelector executionProviders, List<OrtSessionOptionsCustomizer> customizers,
			DownloadSettings downloads) {
		this.environment = environment;
		this.providerSelector = providerSelector;
		this.executionProviders = executionProviders;
		this.customizers = List.copyOf(customizers);
		this.downloads = downloads;
	}

	/**
	 * Load a model. A model tuned at start-up is loaded with the choice remembered in its
	 * tuning cache when there is one, else with its own settings until warmup tunes it.
	 * @param definition the model
	 * @return the loaded model, whose session the caller must close
	 * @throws OnnxModelException when the model cannot be served as configured
	 */
	public ManagedModel create(ModelDefinition definition) {
		return create(definition, null);
	}

	/**
	 * Load a new version of a model beside the one serving it, for a reload: as
	 * {@link #create} does, with the file's SHA-256 always read, and no batcher started
	 * (the running model's batcher serves the new version once it is swapped in).
	 * @param definition the model as configured
	 * @param check checks the new version's first session against the running version,
	 * before its warmup shapes are resolved against its inputs
	 * @return the staged model, to warm, then swap in or close
	 * @throws OnnxModelException when the new version cannot be served as configured
	 */
	ManagedModel stage(ModelDefinition definition, Consumer<OrtSession> check) {
		return create(definition, check);
	}

	private ManagedModel create(ModelDefinition definition, @Nullable Consumer<OrtSession> check) {
		boolean staged = check != null;
		ModelSource source = ModelSource.of(definition, this.downloads);
		ManagedModel model = null;
		try {
			// read before the session: a reload compares and shows it
			String sha256 = staged ? sha256(definition, source) : null;
			// the first instance on the first listed device
			ModelDefinition first = definition.forInstance(0);
			model = definition.tuning().enabled()
					? new TunedModelLoader(this, this.environment, check).load(first, source)
					: model(open(first, source), null, TuningReport.disabled(null), check);
			model.configuredDefinition(definition);
			if (sha256 == null) {
				// known when a checksum, a download, tuning or TensorRT needed it
				sha256 = source.knownSha256();
			}
			if (sha256 != null) {
				model.versions().hashed(model.version(), sha256);
			}
			if (model.tuningState().job() == null) {
				// a model still to tune gets its other instances once tuning has chosen
				addInstances(model, source);
			}
			return model;
		}
		catch (RuntimeException ex) {
			if (model != null) {
				model.close(Duration.ZERO);
			}
			throw ex;
		}
		finally {
			// a tuning job still creates sessions from the source: the model releases it
			if (model == null || model.tuningState().job() == null) {
				source.release();
			}
		}
	}

	private static String sha256(ModelDefinition definition, ModelSource source) {
		try {
			return source.sha256Hex();
		}
		catch (java.io.UncheckedIOException ex) {
			String property = OnnxModelException.modelProperty(definition.name(), "location");
			throw new OnnxModelException(definition.name(), property,
					"the model file " + definition.describeLocation() + " cannot be read: "
							+ ex.getCause().getMessage(),
					"check that the file is readable by the application", ex.getCause());
		}
	}

	/**
	 * Make a model of a loaded session, checking its warmup shapes.
	 * @param loaded the session
	 * @param tuning the tuning still to run, {@code null} when none
	 * @param report what tuning found so far
	 * @return the model
	 * @throws OnnxModelException when the model cannot be served as configured; the
	 * session is closed then
	 */
	ManagedModel model(LoadedSession loaded, @Nullable TuningJob tuning, TuningReport report) {
		return model(loaded, tuning, report, null);
	}

	/**
	 * Make a model of a loaded session, checking its warmup shapes.
	 * @param loaded the session
	 * @param tuning the tuning still to run, {@code null} when none
	 * @param report what tuning found so far
	 * @param check for a new version staged for a reload, checks its session against the
	 * running version; the staged model's batch layout is kept for a check but its
	 * batcher is not started. {@code null} for a model loaded at start-up
	 * @return the model
	 * @throws OnnxModelException when the model cannot be served as configured; the
	 * session is closed then
	 */
	ManagedModel model(LoadedSession loaded, @Nullable TuningJob tuning, TuningReport report,
			@Nullable Consumer<OrtSession> check) {
		boolean staged = check != null;
		ManagedModel model = null;
		try {
			if (check != null) {
				check.accept(loaded.session());
			}
			ModelDefinition definition = loaded.definition();
			checkProfile(definition, loaded.session().getInputInfo());
			WarmupPlan plan = WarmupPlan.resolve(definition.name(), loaded.session().getInputInfo(),
					definition.warmup());
			BatchingSettings batching = definition.serving().batching();
			BatchLayout layout = null;
			if (batching.enabled()) {
				layout = BatchLayout.of(definition.name(), loaded.session().getInputInfo(),
						loaded.session().getOutputInfo(), batching);
				layout = BatchProbe.outputs(this.environment, loaded.session(), layout, plan, definition.warmup());
				plan = BatchProbe.withBatchSizes(plan, layout, batching);
			}
			model = new ManagedModel(loaded, plan, tuning, report);
			if (layout != null && staged) {
				model.stagedLayout(layout);
			}
			else if (layout != null) {
				ManagedModel served = model;
				int workers = definition.serving()
					.workers(loaded.provider().active() == OrtProvider.CPU, Runtime.getRuntime().availableProcessors());
				model.batcher(Batcher.create(layout, batching, workers,
						(inputs, outputs, pinned) -> served.call((session) -> session.run(inputs, outputs, pinned)),
						this.environment));
			}
			return model;
		}
		catch (OrtException | RuntimeException ex) {
			if (model != null) {
				model.close(Duration.ZERO);
			}
			else {
				loaded.closeQuietly();
			}
			throw failure(loaded.definition(), ex);
		}
	}

	/**
	 * Open a model's further instances with the settings of the session serving it, each
	 * on its CUDA device.
	 * @param model the model, served by one session
	 * @param source the checked model file
	 */
	void addInstances(ManagedModel model, ModelSource source) {
		int wanted = model.definition().serving().instances();
		List<LoadedSession> added = new java.util.ArrayList<>();
		try {
			for (int i = model.instanceCount(); i < wanted; i++) {
				added.add(open(model.definition().forInstance(i), source));
			}
		}
		catch (RuntimeException ex) {
			added.forEach(LoadedSession::closeQuietly);
			throw ex;
		}
		if (!added.isEmpty()) {
			model.addInstances(added);
		}
	}

	/**
	 * Create a session with the settings of a definition.
	 * @param requested the model, with the settings to use
	 * @param source the checked model file
	 * @return the session, which the caller must close
	 * @throws OnnxModelException when the session cannot be created
	 */
	LoadedSession open(ModelDefinition requested, ModelSource source) {
		int cores = Runtime.getRuntime().availableProcessors();
		if (requested.executionProvider() != null) {
			return openNamed(requested, requested.executionProvider(), source);
		}
		// a CPU session's intra-op threads are split among the runs that go on at once
		ModelDefinition definition = requested.cuda().enabled() ? requested : requested.forCpu(cores);
		long start = System.nanoTime();
		OrtSession session = null;
		try {
			ProviderChoice provider;
			Duration providerSetup;
			AtomicReference<TensorrtSetup> tensorrt = new AtomicReference<>();
			ModelDefinition asRequested = definition;
			Supplier<Map<String, String>> tensorrtOptions = definition.tensorrt().enabled() ? () -> {
				tensorrt.set(prepareTensorrt(asRequested, source));
				return tensorrt.get().options();
			} : null;
			SessionOptions options = sessionOptions(definition);
			try {
				long setupStart = System.nanoTime();
				provider = this.providerSelector.select(definition.name(), definition.cuda(), tensorrtOptions, options);
				providerSetup = Duration.ofNanos(System.nanoTime() - setupStart);
				logEngineBuild(definition, provider, tensorrt.get());
				if (provider.active() == OrtProvider.CPU && provider.requested() != OrtProvider.CPU) {
					// a failed provider may have left traces in the options: start afresh
					options.close();
					definition = definition.forCpu(cores);
					options = sessionOptions(definition);
				}
				try {
					session = createSession(definition, source, options);
				}
				catch (OnnxModelException ex) {
					if (provider.active() != OrtProvider.TENSOR_RT) {
						throw ex;
					}
					// TensorRT fails here, not when added, when it cannot build the
					// engine
					options.close();
					options = sessionOptions(definition);
					provider = this.providerSelector.selectAfterTensorrtFailure(definition.name(), definition.cuda(),
							(ex.getCause() != null) ? ex.getCause() : ex, options);
					if (provider.active() == OrtProvider.CPU) {
						options.close();
						definition = definition.forCpu(cores);
						options = sessionOptions(definition);
					}
					session = createSession(definition, source, options);
				}
			}
			finally {
				options.close();
			}
			Duration creation = Duration.ofNanos(System.nanoTime() - start);
			if (definition.tensorrt().enabled() && tensorrt.get() == null) {
				// not even tried (no NVIDIA driver): what it would have been given, so
				// that a GPU rollout can be prepared on this host
				tensorrt.set(previewTensorrt(definition, source));
			}
			return new LoadedSession(definition, session, provider, providerSetup, creation, tensorrt.get());
		}
		catch (OrtException | RuntimeException ex) {
			closeQuietly(session);
			throw failure(definition, ex);
		}
	}

	/**
	 * Create a session on an execution provider asked for by name, falling back as the
	 * model's fallback says when it cannot be added or the session cannot be created with
	 * it.
	 * @param requested the model
	 * @param named the provider asked for
	 * @param source the checked model file
	 * @return the session, which the caller must close
	 */
	private LoadedSession openNamed(ModelDefinition requested, ExecutionProviderSettings named, ModelSource source) {
		int cores = Runtime.getRuntime().availableProcessors();
		ModelDefinition definition = requested;
		long start = System.nanoTime();
		OrtSession session = null;
		try {
			SessionOptions options = sessionOptions(definition);
			ProviderChoice provider;
			Duration providerSetup;
			try {
				long setupStart = System.nanoTime();
				provider = this.executionProviders.select(definition.name(), named, definition.cuda().fallback(),
						options);
				providerSetup = Duration.ofNanos(System.nanoTime() - setupStart);
				if (provider.fellBack() || provider.active() == OrtProvider.CPU) {
					options.close();
					definition = definition.forCpu(cores);
					options = sessionOptions(definition);
				}
				try {
					if (named.compile() && !provider.fellBack()) {
						CompiledModelCache.Prepared compiled = compiled(definition, named, provider, source, options);
						session = createCompiledSession(definition, compiled, named, options);
						provider = provider.withCompiled(compiled);
					}
					else {
						session = createSession(definition, source, options);
					}
				}
				catch (OnnxModelException ex) {
					if (provider.fellBack()) {
						throw ex;
					}
					provider = this.executionProviders.afterSessionFailure(definition.name(), named,
							definition.cuda().fallback(), provider, (ex.getCause() != null) ? ex.getCause() : ex);
					options.close();
					definition = definition.forCpu(cores);
					options = sessionOptions(definition);
					session = createSession(definition, source, options);
				}
			}
			finally {
				options.close();
			}
			return new LoadedSession(definition, session, provider, providerSetup,
					Duration.ofNanos(System.nanoTime() - start), null);
		}
		catch (OrtException | RuntimeException ex) {
			closeQuietly(session);
			throw failure(definition, ex);
		}
	}

	/**
	 * Find the model compiled for its provider, devices and settings in the cache, or
	 * compile it with the session options the provider was added to.
	 * @param definition the model
	 * @param named the provider asked for
	 * @param provider the provider chosen, with its devices
	 * @param source the checked model file
	 * @param options the session options with the provider added
	 * @return the compiled model
	 */
	private CompiledModelCache.Prepared compiled(ModelDefinition definition, ExecutionProviderSettings named,
			ProviderChoice provider, ModelSource source, SessionOptions options) {
		List<ExecutionDevice> chosen = provider.executionProvider().devices();
		Path root = (named.compiledModelDirectory() != null) ? named.compiledModelDirectory()
				: CompiledModelCache.defaultRoot();
		Path directory = CompiledModelCache.directory(root, definition.name(), source.sha256Hex(),
				this.environment.getVersion(), named.name(), chosen, named.options());
		return CompiledModelCache.prepare(definition.name(), directory, (info) -> {
			List<OrtEpDevice> devices = new java.util.ArrayList<>();
			for (OrtEpDevice device : this.environment.getEpDevices()) {
				if (chosen.contains(ExecutionDevice.of(device))) {
					devices.add(device);
				}
			}
			return this.environment.getModelCompatibilityForEpDevices(devices, info);
		}, (output) -> {
			try (OrtModelCompilationOptions compilation = OrtModelCompilationOptions
				.createFromSessionOptions(this.environment, options); InputStream model = source.open()) {
				byte[] bytes = model.readAllBytes();
				ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
				compilation.setInputModelFromBuffer(buffer);
				compilation.setOutputModelPath(output.toString());
				compilation.setEpContextEmbedMode(true);
				compilation.compileModel();
			}
		});
	}

	private OrtSession createCompiledSession(ModelDefinition definition, CompiledModelCache.Prepared compiled,
			ExecutionProviderSettings named, SessionOptions options) {
		String property = OnnxModelException.modelProperty(definition.name(), "execution-provider.compile");
		OrtSession session = null;
		try {
			session = this.environment.createSession(compiled.model().toString(), options);
			CompiledModelCache.keepCompatibility(compiled, session.getMetadata().getCustomMetadata(), named.name());
			logger.info("ONNX model '" + definition.name() + "': compiled model " + compiled.state() + " in "
					+ compiled.directory());
			return session;
		}
		catch (OrtException | IOException ex) {
			closeQuietly(session);
			throw new OnnxModelException(definition.name(), property,
					"the compiled model " + compiled.model() + " cannot be loaded: " + ex.getMessage(),
					"delete the folder " + compiled.directory() + " to compile again, or set " + property + "=false",
					ex);
		}
	}

	private static OnnxModelException failure(ModelDefinition definition, Exception ex) {
		return (ex instanceof OnnxModelException modelException) ? modelException
				: new OnnxModelException(definition.name(),
						OnnxModelException.modelProperty(definition.name(), "session"),
						"the session cannot be set up: " + ex.getMessage(),
						"check the session settings and customizers of this model", ex);
	}

	/**
	 * The ONNX Runtime version, for the tuning cache's key.
	 * @return the version
	 */
	String onnxRuntimeVersion() {
		return this.environment.getVersion();
	}

	/**
	 * Complete the TensorRT options with what needs the model: its inputs and warmup
	 * samples for the profile, read from a session that is not optimized and runs nothing
	 * (the provider must be chosen before the real session exists), and its SHA-256 for
	 * the cache key.
	 * @param definition the model
	 * @param source the checked model file
	 * @return the options to send and the engine cache
	 */
	private TensorrtSetup prepareTensorrt(ModelDefinition definition, ModelSource source) {
		return prepareTensorrt(definition, source, true);
	}

	private @Nullable TensorrtSetup previewTensorrt(ModelDefinition definition, ModelSource source) {
		try {
			return prepareTensorrt(definition, source, false);
		}
		catch (RuntimeException ex) {
			// for display only: the session exists, so the model is fine to serve
			logger.debug("ONNX model '" + definition.name() + "': the TensorRT options cannot be shown", ex);
			return null;
		}
	}

	private TensorrtSetup prepareTensorrt(ModelDefinition definition, ModelSource source, boolean createFolders) {
		TensorrtSettings settings = definition.tensorrt();
		Map<String, long[]> shapes = Map.of();
		List<ResolvedShape> samples = List.of();
		boolean needsInputs = settings.profile() != null
				|| (settings.profileShapes() == ProfileShapes.AUTO && definition.warmup().enabled());
		if (needsInputs) {
			OrtSession inspection = null;
			try (SessionOptions options = new SessionOptions()) {
				options.setOptimizationLevel(SessionOptions.OptLevel.NO_OPT);
				inspection = createSession(definition, source, options);
				Map<String, NodeInfo> inputs = inspection.getInputInfo();
				checkProfile(definition, inputs);
				shapes = shapes(inputs);
				WarmupPlan plan = WarmupPlan.resolve(definition.name(), inputs, definition.warmup());
				BatchingSettings batching = definition.serving().batching();
				if (batching.enabled()) {
					// the profile covers every batch size the batcher forms
					plan = BatchProbe.withBatchSizes(plan,
							BatchLayout.of(definition.name(), inputs, inspection.getOutputInfo(), batching), batching);
				}
				samples = plan.samples();
			}
			catch (OrtException ex) {
				throw new OnnxModelException(definition.name(),
						OnnxModelException.modelProperty(definition.name(), "location"),
						"the inputs of the model cannot be read for its TensorRT profile: " + ex.getMessage(),
						"check that the model file is a complete ONNX model", ex);
			}
			finally {
				closeQuietly(inspection);
			}
		}
		return createFolders
				? settings.prepare(definition.name(), source::sha256Hex, this.environment.getVersion(), shapes, samples)
				: settings.preview(definition.name(), source::sha256Hex, this.environment.getVersion(), shapes,
						samples);
	}

	// a build can take minutes with no other sign of life (seen upstream on Jetson
	// boards)
	private static void logEngineBuild(ModelDefinition definition, ProviderChoice provider, TensorrtSetup tensorrt) {
		if (provider.active() == OrtProvider.TENSOR_RT && tensorrt != null
				&& tensorrt.cacheState() != TensorrtCacheState.HIT) {
			logger.info("ONNX model '" + definition.name() + "': no TensorRT engine cached"
					+ ((tensorrt.engineCacheDirectory() != null) ? " in " + tensorrt.engineCacheDirectory() : "")
					+ "; TensorRT builds one before the model is ready, which can take minutes");
		}
	}

	private static void checkProfile(ModelDefinition definition, Map<String, NodeInfo> inputs) {
		TensorrtProfile profile = definition.tensorrt().profile();
		if (definition.tensorrt().enabled() && profile != null) {
			profile.checkAgainst(definition.name(),
					OnnxModelException.modelProperty(definition.name(), "tensorrt.profile"), shapes(inputs));
		}
	}

	private static Map<String, long[]> shapes(Map<String, NodeInfo> inputs) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		inputs.forEach((name, node) -> {
			if (node.getInfo() instanceof TensorInfo tensor) {
				shapes.put(name, tensor.getShape());
			}
		});
		return shapes;
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
