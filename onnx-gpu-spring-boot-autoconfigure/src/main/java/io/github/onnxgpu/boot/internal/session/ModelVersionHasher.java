package io.github.onnxgpu.boot.internal.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.internal.startup.RemoteDownload;
import io.github.onnxgpu.boot.internal.thread.OnnxThreads;

/**
 * Reads the SHA-256 of each model file whose start-up version has none yet (nothing at
 * start-up needed it: no configured {@code sha256}, tuning, TensorRT, download or
 * polling), so that the version serving shows which file it is. Off the start-up path: on
 * a background thread, started once the warmups have run, so that neither readiness nor
 * the warmup's timings wait for a read of the whole file. Until it is read the version's
 * {@code sha256} is {@code null}.
 */
public class ModelVersionHasher implements ApplicationListener<ApplicationReadyEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(ModelVersionHasher.class);

	private final ManagedModelRegistry registry;

	public ModelVersionHasher(ManagedModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public int getOrder() {
		// after the warmup runner, which warms the models on this event
		return OnnxWarmupRunner.ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		List<ManagedModel> unhashed = this.registry.models()
			.stream()
			.filter((model) -> model.version().sha256() == null && model.generation() == 0)
			.toList();
		if (!unhashed.isEmpty()) {
			OnnxThreads.named("onnx-version-hash", () -> unhashed.forEach(ModelVersionHasher::hash)).start();
		}
	}

	static void hash(ManagedModel model) {
		ModelVersion version = model.version();
		Resource location = model.configuredDefinition().location();
		if (version.sha256() != null || location == null || RemoteDownload.isRemote(location) || model.isClosing()) {
			return;
		}
		try {
			// a file changed since it was loaded is not the version serving: its
			// checksum stays unknown
			long modified = location.lastModified();
			if (modified > version.loadedAt().toEpochMilli()) {
				return;
			}
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			try (InputStream input = new DigestInputStream(location.getInputStream(), digest)) {
				input.transferTo(OutputStream.nullOutputStream());
			}
			if (location.lastModified() != modified) {
				return;
			}
			// unless a reload swapped another version in meanwhile
			model.versions().hashed(version, HexFormat.of().formatHex(digest.digest()));
		}
		catch (IOException | NoSuchAlgorithmException | RuntimeException ex) {
			logger.debug("The SHA-256 of ONNX model '" + model.name() + "' could not be read", ex);
		}
	}

}
