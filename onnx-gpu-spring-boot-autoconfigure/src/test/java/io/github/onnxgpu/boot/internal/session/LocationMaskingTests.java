package io.github.onnxgpu.boot.internal.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LocationMasking}.
 */
class LocationMaskingTests {

	@Test
	void maskWhenUserAndPasswordKeepsTheUser() {
		assertThat(LocationMasking.mask("https://user:secret@host/models/det.onnx"))
			.isEqualTo("https://user:******@host/models/det.onnx");
	}

	@Test
	void maskWhenOnlyAUserMasksItAsItMayBeAToken() {
		assertThat(LocationMasking.mask("https://ghp_t0ken@host:8443/det.onnx"))
			.isEqualTo("https://******@host:8443/det.onnx");
	}

	@Test
	void maskWhenPasswordHasAnUnencodedAtMasksUpToTheHost() {
		assertThat(LocationMasking.mask("https://user:p@ss@host/det.onnx"))
			.isEqualTo("https://user:******@host/det.onnx");
	}

	@Test
	void maskWhenQueryMasksEveryValueAndKeepsNamesAndFragment() {
		assertThat(LocationMasking.mask("https://host/det.onnx?token=s3cr3t&X-Amz-Signature=abc&empty=&s3cr3t#part"))
			.isEqualTo("https://host/det.onnx?token=******&X-Amz-Signature=******&empty=&******#part");
	}

	@Test
	void maskWhenUserInfoAndQueryInANestedUrlMasksBoth() {
		assertThat(LocationMasking.mask("jar:https://user:secret@host/app.jar!/models/det.onnx?token=s3cr3t"))
			.isEqualTo("jar:https://user:******@host/app.jar!/models/det.onnx?token=******");
	}

	@Test
	void maskWhenNotAUriStillMasksTheQuery() {
		assertThat(LocationMasking.mask("file:/opt/my models/det.onnx?token=s3cr3t"))
			.isEqualTo("file:/opt/my models/det.onnx?token=******");
	}

	@Test
	void maskWhenNothingSecretReturnsTheLocationAsItIs() {
		assertThat(LocationMasking.mask("classpath:/models/det.onnx")).isEqualTo("classpath:/models/det.onnx");
		assertThat(LocationMasking.mask("file:/opt/models/det.onnx")).isEqualTo("file:/opt/models/det.onnx");
		assertThat(LocationMasking.mask("/opt/models/det@2.onnx")).isEqualTo("/opt/models/det@2.onnx");
		assertThat(LocationMasking.mask("https://host/models/v1@2/det.onnx"))
			.isEqualTo("https://host/models/v1@2/det.onnx");
		assertThat(LocationMasking.mask(null)).isNull();
	}

	@Test
	void maskUrlsInMasksEveryUrlOfAMessage() {
		assertThat(LocationMasking.maskUrlsIn(
				"Server returned HTTP response code: 401 for URL: https://user:secret@host/det.onnx?token=s3cr3t "
						+ "(via http://proxy/?key=k3y)"))
			.isEqualTo("Server returned HTTP response code: 401 for URL: "
					+ "https://user:******@host/det.onnx?token=****** (via http://proxy/?key=******)");
		assertThat(LocationMasking.maskUrlsIn("no such file /opt/models/det.onnx"))
			.isEqualTo("no such file /opt/models/det.onnx");
	}

}
