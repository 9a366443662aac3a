package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.provider.ExecutionProviderSettings;
import io.github.onnxgpu.boot.internal.provider.TensorrtSettings;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;

/**
 * Everything needed to load, run and warm up one named model.
 *
 * @param name the model's name, also its bean qualifier
 * @param location where the model file is, {@code null} when
 * {@code onnx.models.<name>.location} is unset (loading the model then fails with that
 * property named)
 * @param sha256 the expected SHA-256 of the file in hex, {@code null} when not checked
 * @param cuda the CUDA provider settings
 * @param tensorrt the TensorRT provider settings
 * @param session the session options
 * @param warmup the warmup settings
 * @param bindingPoolSize how many idle {@link DefaultOnnxBinding}s are kept per input
 * shape
 * @param tuning how the model is tuned at start-up
 * @param serving how concurrent runs are served: instances and batching
 * @param executionProvider the execution provider asked for by name, in place of the
 * typed CUDA and TensorRT providers, {@code null} when none is
 */
public record ModelDefinition(String name, @Nullable Resource location, @Nullable String sha256, CudaSettings cuda,
		TensorrtSettings tensorrt, SessionSettings session, WarmupSettings warmup, int bindingPoolSize,
		TuningSettings tuning, ServingSettings serving, @Nullable ExecutionProviderSettings executionProvider) {

	/**
	 * A definition on the typed providers alone.
	 * @param name the model's name
	 * @param location where the model file is
	 * @param sha256 the expected SHA-256
	 * @param cuda the CUDA provider settings
	 * @param tensorrt the TensorRT provider settings
	 * @param session the session options
	 * @param warmup the warmup settings
	 * @param bindingPoolSize idle bindings kept per input shape
	 * @param tuning how the model is tuned at start-up
	 * @param serving how concurrent runs are served
	 */
	public ModelDefinition(String name, @Nullable Resource location, @Nullable String sha256, CudaSettings cuda,
			TensorrtSettings tensorrt, SessionSettings session, WarmupSettings warmup, int bindingPoolSize,
			TuningSettings tuning, ServingSettings serving) {
		this(name, location, sha256, cuda, tensorrt, session, warmup, bindingPoolSize, tuning, serving, null);
	}

	/**
	 * The definition of one instance: on its CUDA device.
	 * @param index the instance
	 * @return the instance's definition
	 */
	ModelDefinition forInstance(int index) {
		int device = this.serving.deviceId(index, this.cuda.deviceId());
		if (device == this.cuda.deviceId()) {
			return this;
		}
		return new ModelDefinition(this.name, this.location, this.sha256,
				new CudaSettings(this.cuda.enabled(), this.cuda.fallback(), device, this.cuda.options()), this.tensorrt,
				this.session, this.warmup, this.bindingPoolSize, this.tuning, this.serving, this.executionProvider);
	}

	/**
	 * This model with session settings for the CPU: its intra-op threads split among the
	 * runs the starter starts at once, unless configured.
	 * @param cores the cores available
	 * @return the definition to create a CPU session with
	 */
	ModelDefinition forCpu(int cores) {
		Integer threads = this.serving.cpuIntraOpThreads(cores);
		if (threads == null || this.session.intraOpThreads() != null) {
			return this;
		}
		SessionSettings split = new SessionSettings(threads, this.session.interOpThreads(),
				this.session.executionMode(), this.session.optimizationLevel(), this.session.memoryPattern(),
				this.session.cpuArena(), this.session.optimizedModelPath(), this.session.config());
		return new ModelDefinition(this.name, this.location, this.sha256, this.cuda, this.tensorrt, split, this.warmup,
				this.bindingPoolSize, this.tuning, this.serving, this.executionProvider);
	}

	/**
	 * This model with a tuning candidate's settings in place of its own.
	 * @param candidate the candidate
	 * @return the candidate's definition
	 */
	public ModelDefinition withCandidate(TuningCandidate candidate) {
		return new ModelDefinition(this.name, this.location, this.sha256, candidate.cuda(), candidate.tensorrt(),
				candidate.session(), this.warmup, this.bindingPoolSize, this.tuning, this.serving,
				this.executionProvider);
	}

	/**
	 * The location as the user wrote it, for display, with credentials masked (see
	 * {@link LocationMasking}).
	 * @return the location description, {@code null} when there is no location
	 */
	public @Nullable String describeLocation() {
		if (this.location instanceof ClassPathResource classPath) {
			return LocationMasking.mask("classpath:/" + classPath.getPath());
		}
		if (this.location == null) {
			return null;
		}
		try {
			return LocationMasking.mask(this.location.getURL().toString());
		}
		catch (IOException ex) {
			return LocationMasking.maskUrlsIn(this.location.getDescription());
		}
	}

	// the resource's own toString shows its URL with any credentials in it
	@Override
	public String toString() {
		return "ModelDefinition[name=" + this.name + ", location=" + describeLocation() + ", sha256=" + this.sha256
				+ ", cuda=" + this.cuda + ", tensorrt=" + this.tensorrt + ", session=" + this.session + ", warmup="
				+ this.warmup + ", bindingPoolSize=" + this.bindingPoolSize + ", tuning=" + this.tuning + ", serving="
				+ this.serving + "]";
	}

}
