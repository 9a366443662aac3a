package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.provider.ProviderChoice;
import io.github.onnxgpu.boot.internal.provider.TensorrtSetup;

/**
 * A session with what was needed to create it: the settings it was created with, the
 * provider that really runs it and how long that took. A tuned model swaps one for
 * another.
 *
 * @param definition the model with the settings this session was created with
 * @param session the session
 * @param provider the provider that really runs it
 * @param providerSetup time spent choosing and adding the provider
 * @param sessionCreation time to create the session, provider set-up included
 * @param tensorrt the TensorRT options sent, or that would have been sent, and the engine
 * cache; {@code null} when TensorRT is not enabled. Active only when {@code provider}
 * runs TensorRT
 */
record LoadedSession(ModelDefinition definition, OrtSession session, ProviderChoice provider, Duration providerSetup,
		Duration sessionCreation, @Nullable TensorrtSetup tensorrt) {

	void closeQuietly() {
		try {
			this.session.close();
		}
		catch (OrtException | RuntimeException ex) {
			// nothing more to do for a session nobody uses
		}
	}

}
