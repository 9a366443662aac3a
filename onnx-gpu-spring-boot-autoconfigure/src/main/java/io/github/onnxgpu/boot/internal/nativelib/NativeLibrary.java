package io.github.onnxgpu.boot.internal.nativelib;

/**
 * One native library file as its source describes it.
 *
 * @param name the file name, such as {@code libonnxruntime.so}
 * @param size the size in bytes
 * @param crc the CRC-32 of the content
 */
public record NativeLibrary(String name, long size, long crc) {

}
