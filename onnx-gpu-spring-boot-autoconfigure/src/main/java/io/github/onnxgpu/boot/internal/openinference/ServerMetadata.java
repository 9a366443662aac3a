package io.github.onnxgpu.boot.internal.openinference;

import java.util.List;

/**
 * The server's metadata as the protocol answers it.
 *
 * @param name the server's name
 * @param version the starter's version
 * @param extensions the extensions served
 */
public record ServerMetadata(String name, String version, List<String> extensions) {

}
