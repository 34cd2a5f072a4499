package comfy.workbench.connection.api;

import java.util.Objects;

/**
 * A compute device of the server ({@code /system_stats} {@code devices[]}); byte counts are 0 when unknown.
 *
 * @param name           e.g. {@code cpu} or {@code cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync}
 * @param type           e.g. {@code cpu}, {@code cuda}, {@code mps}
 * @param index          device index, or -1 when the server gives none
 * @param vramTotal      total memory in bytes
 * @param vramFree       free memory in bytes
 * @param torchVramTotal memory reserved by torch in bytes
 * @param torchVramFree  free memory within torch's reservation in bytes
 */
public record Device(String name, String type, int index, long vramTotal, long vramFree, long torchVramTotal,
        long torchVramFree) {

    public Device {
        Objects.requireNonNull(name, "name");
        type = type == null ? "" : type;
    }
}
