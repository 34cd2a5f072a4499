package comfy.workbench.connection.api;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.osgi.annotation.versioning.ProviderType;

import com.google.gson.JsonObject;

/**
 * The HTTP client of one ComfyUI server. Every method is one request (the probe a few) to the server's
 * {@code /api}-prefixed route below its base URL, blocks until the answer is decoded, and either returns a value or
 * throws a {@link ComfyException} naming the server and route. Thread-safe; obtain it from {@link ComfyClients}.
 */
@ProviderType
public interface ComfyClient {

    /** The server this client talks to. */
    ServerDescriptor server();

    // ---- execution and queue

    /**
     * {@code POST /api/prompt}: queues a prompt under the request's prompt id.
     *
     * @return the server's acknowledgement; {@link PromptAccepted#nodeErrors()} lists nodes whose outputs were
     *         dropped when only part of the prompt validated
     * @throws PromptRejectedException when the server refused the prompt (HTTP 400 with {@code error/node_errors})
     */
    PromptAccepted submit(PromptRequest request) throws ComfyException;

    /** {@code GET /api/prompt}: how many prompts are running or waiting. */
    int queueRemaining() throws ComfyException;

    /** {@code GET /api/queue}. */
    QueueSnapshot queue() throws ComfyException;

    /** {@code POST /api/queue {delete}}: removes waiting prompts (running ones are not affected; unknown ids are ignored). */
    void deleteFromQueue(Collection<String> promptIds) throws ComfyException;

    /** {@code POST /api/queue {clear}}: removes all waiting prompts. */
    void clearQueue() throws ComfyException;

    /** {@code POST /api/interrupt} without a prompt id: interrupts whatever runs, whoever submitted it. */
    void interruptAll() throws ComfyException;

    /** {@code POST /api/interrupt {prompt_id}}: interrupts this prompt if, and only if, it is the running one. */
    void interrupt(String promptId) throws ComfyException;

    // ---- history

    /** {@code GET /api/history}: all entries, oldest first. */
    List<HistoryEntry> history() throws ComfyException;

    /**
     * {@code GET /api/history?max_items=&offset=}: a page of entries, oldest first. The server counts {@code offset}
     * from the oldest entry; with offset 0 it returns the newest {@code maxItems}.
     */
    List<HistoryEntry> history(int maxItems, int offset) throws ComfyException;

    /** {@code GET /api/history/{id}}: the entry, or empty while the prompt is unknown, pending or running. */
    Optional<HistoryEntry> history(String promptId) throws ComfyException;

    /** {@code POST /api/history {delete}}. */
    void deleteHistory(Collection<String> promptIds) throws ComfyException;

    /** {@code POST /api/history {clear}}. */
    void clearHistory() throws ComfyException;

    // ---- jobs API (ComfyUI 0.6+; kind UNSUPPORTED on older servers)

    /**
     * Whether the server has the jobs API: {@code GET /api/jobs?limit=1} answers (ComfyUI 0.6+). Not cached: ask the
     * {@link ServerHealthService} for the last probe's {@link ServerCapabilities} when a cached answer is enough.
     */
    boolean hasJobsApi() throws ComfyException;

    /** {@code GET /api/jobs?...}. */
    JobsPage jobs(JobsQuery query) throws ComfyException;

    /** {@code GET /api/jobs/{id}}; empty for an unknown job. */
    Optional<Job> job(String jobId) throws ComfyException;

    /** {@code POST /api/jobs/{id}/cancel}: whether the job was cancelled (false if finished or unknown). */
    boolean cancelJob(String jobId) throws ComfyException;

    /** {@code POST /api/jobs/cancel {job_ids}}: whether any was cancelled. */
    boolean cancelJobs(Collection<String> jobIds) throws ComfyException;

    // ---- node definitions, models, system

    /** {@code GET /api/object_info}: every node class's definition, raw. Can take long on big installations. */
    JsonObject objectInfo() throws ComfyException;

    /**
     * {@code GET /api/object_info} parsed by the given parser, e.g. {@code objectInfo(NodeSchema::parse)}. The parser
     * gets the body text and a description of its source for messages; a parser's runtime exception becomes a
     * {@link ComfyException.Kind#BAD_RESPONSE}.
     */
    <T> T objectInfo(BiFunction<String, String, T> parser) throws ComfyException;

    /** {@code GET /api/object_info/{class}}: the definition of one class, empty when the server has no such class. */
    Optional<JsonObject> objectInfo(String classType) throws ComfyException;

    /** {@code GET /api/system_stats}. */
    SystemStats systemStats() throws ComfyException;

    /** {@code GET /api/features}; {@link FeatureFlags#NONE} when the server has no such route (404). */
    FeatureFlags features() throws ComfyException;

    /** {@code GET /api/embeddings}: embedding names. */
    List<String> embeddings() throws ComfyException;

    /** {@code GET /api/extensions}: URLs of the web extensions' scripts. */
    List<String> extensions() throws ComfyException;

    /** {@code GET /api/models}: model folder names ({@code checkpoints}, {@code loras}, ...). */
    List<String> modelFolders() throws ComfyException;

    /** {@code GET /api/models/{folder}}: file names in a model folder; HTTP_STATUS 404 for an unknown folder. */
    List<String> models(String folder) throws ComfyException;

    /** {@code POST /api/free}: asks the server to unload models and/or free memory after the current prompt. */
    void free(boolean unloadModels, boolean freeMemory) throws ComfyException;

    /**
     * Finds out what the server can do: {@code /system_stats}, {@code /features} and whether {@code /api/jobs}
     * exists.
     */
    ServerCapabilities probe() throws ComfyException;

    // ---- files

    /** {@code POST /api/upload/image} (multipart, streamed from the file). */
    UploadResult uploadImage(UploadRequest request) throws ComfyException;

    /** {@code POST /api/upload/mask}: the upload's alpha channel is copied into {@code original}. */
    UploadResult uploadMask(UploadRequest request, FileRef original) throws ComfyException;

    /** {@code GET /api/view}, streamed into {@code out} (not closed). */
    ViewResult view(ViewRequest request, OutputStream out) throws ComfyException;

    /**
     * {@code GET /api/view}, streamed into a file. The file is written under a temporary name beside
     * {@code target} and moved over it only when complete.
     */
    ViewResult view(ViewRequest request, Path target) throws ComfyException;

    // ---- user data

    /** {@code GET /api/userdata?dir=&recurse=&full_info=true}; HTTP_STATUS 404 if the directory does not exist. */
    List<UserDataFile> listUserData(String dir, boolean recurse) throws ComfyException;

    /** {@code GET /api/userdata/{path}}; empty when there is no such file. */
    Optional<byte[]> readUserData(String path) throws ComfyException;

    /**
     * {@code POST /api/userdata/{path}?overwrite=}: writes a file atomically on the server. Without overwrite an
     * existing file gives HTTP_STATUS 409.
     */
    void writeUserData(String path, byte[] content, boolean overwrite) throws ComfyException;

    /** {@code DELETE /api/userdata/{path}}. */
    void deleteUserData(String path) throws ComfyException;
}
