package io.github.onnxgpu.boot.autoconfigure;

import ai.onnxruntime.OrtSession;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * The factory method of the per-model {@link OrtSession} beans that
 * {@link OnnxSessionBeanRegistrar} registers: a static method, so that Spring AOT can
 * generate the call.
 */
final class OnnxSessionBeans {

	private OnnxSessionBeans() {
	}

	/**
	 * The session bean of a model.
	 * @param name the model's name
	 * @param registry the registry that loaded the model
	 * @return the session to inject
	 */
	static OrtSession session(String name, ManagedModelRegistry registry) {
		return registry.get(name).sessionBean();
	}

}
