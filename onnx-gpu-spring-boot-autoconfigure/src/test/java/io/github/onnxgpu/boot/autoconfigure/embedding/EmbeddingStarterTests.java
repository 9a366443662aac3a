package io.github.onnxgpu.boot.autoconfigure.embedding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of what the embedding starter brings, and that the core starter and the
 * auto-configuration bring none of it: the POMs as published.
 */
class EmbeddingStarterTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void embeddingStarterBringsTheCoreStarterSpringAisModelApiAndTheTokenizer() throws Exception {
		Document pom = pom("onnx-gpu-spring-boot-starter-embedding");
		assertThat(dependencies(pom)).containsExactly("io.github.onnxgpu:onnx-gpu-spring-boot-starter:compile",
				"org.springframework.ai:spring-ai-model:compile", "ai.djl.huggingface:tokenizers:compile");
		// a jar of a manifest only, kept out of repackaged applications like Boot's
		// starters
		assertThat(text(pom, "Spring-Boot-Jar-Type")).isEqualTo("dependencies-starter");
		assertThat(ROOT.resolve("onnx-gpu-spring-boot-starter-embedding/src")).doesNotExist();
	}

	@Test
	void coreStarterAndAutoConfigurationBringNoneOfIt() throws Exception {
		assertThat(dependencies(pom("onnx-gpu-spring-boot-starter")))
			.noneMatch((dependency) -> dependency.contains("spring-ai") || dependency.contains("djl")
					|| dependency.contains("langchain4j"));
		assertThat(dependencies(pom("onnx-gpu-spring-boot-autoconfigure")))
			.filteredOn((dependency) -> dependency.contains("spring-ai") || dependency.contains("djl")
					|| dependency.contains("langchain4j") || dependency.contains("gson"))
			.containsExactlyInAnyOrder("org.springframework.ai:spring-ai-model:optional",
					"ai.djl.huggingface:tokenizers:optional", "com.google.code.gson:gson:optional",
					"dev.langchain4j:langchain4j-core:optional");
	}

	@Test
	void rootPomBuildsAndManagesTheEmbeddingStarter() throws Exception {
		Document root = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(ROOT.resolve("pom.xml").toFile());
		List<String> modules = new ArrayList<>();
		NodeList nodes = root.getElementsByTagName("module");
		for (int i = 0; i < nodes.getLength(); i++) {
			modules.add(nodes.item(i).getTextContent());
		}
		assertThat(modules).contains("onnx-gpu-spring-boot-starter-embedding");
		assertThat(dependencies(root)).contains("io.github.onnxgpu:onnx-gpu-spring-boot-starter-embedding:compile");
	}

	private static Document pom(String module) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(ROOT.resolve(module).resolve("pom.xml").toFile());
	}

	// group:artifact:scope (optional for optional ones), dependency management included
	private static List<String> dependencies(Document pom) {
		List<String> found = new ArrayList<>();
		NodeList nodes = pom.getElementsByTagName("dependency");
		for (int i = 0; i < nodes.getLength(); i++) {
			Element dependency = (Element) nodes.item(i);
			String scope = child(dependency, "scope");
			String optional = child(dependency, "optional");
			found.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId") + ":"
					+ ("true".equals(optional) ? "optional" : (scope != null) ? scope : "compile"));
		}
		return found;
	}

	private static String child(Element element, String name) {
		NodeList children = element.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().strip();
			}
		}
		return null;
	}

	private static String text(Document pom, String tag) {
		return pom.getElementsByTagName(tag).item(0).getTextContent().strip();
	}

}
