package io.github.onnxgpu.boot.test;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.internal.provider.CudaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.CudaProviderInstaller;
import io.github.onnxgpu.boot.internal.provider.CudaProviderSelector;
import io.github.onnxgpu.boot.internal.provider.NvidiaDriverProbe;
import io.github.onnxgpu.boot.internal.provider.TensorrtProviderInstaller;
import io.github.onnxgpu.boot.internal.session.OnnxSessionFactory;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;

/**
 * A test's session factory whose provider installers and driver probe are beans of the
 * test (any not given is ONNX Runtime's own), so that a test can make CUDA or TensorRT
 * fail, or record what would be sent to them, on a machine without a GPU. The
 * auto-configuration's own factory backs off for this one.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderSeams {

	@Bean
	OnnxSessionFactory onnxSessionFactory(OrtEnvironment environment, OnnxProperties properties,
			ObjectProvider<CudaProviderInstaller> cuda, ObjectProvider<TensorrtProviderInstaller> tensorrt,
			ObjectProvider<CudaDriverProbe> probe, ObjectProvider<OrtSessionOptionsCustomizer> customizers) {
		CudaProviderSelector selector = new CudaProviderSelector(
				cuda.getIfAvailable(() -> CudaProviderInstaller.ONNX_RUNTIME),
				properties.getCuda().isProbe() ? probe.getIfAvailable(NvidiaDriverProbe::new) : null,
				tensorrt.getIfAvailable(() -> TensorrtProviderInstaller.ONNX_RUNTIME));
		OnnxProperties.Download download = properties.getDownload();
		return new OnnxSessionFactory(environment, selector, customizers.orderedStream().toList(),
				DownloadSettings.checked(download.getConnectTimeout(), download.getReadTimeout(), download.getTimeout(),
						download.getDirectory()));
	}

}
