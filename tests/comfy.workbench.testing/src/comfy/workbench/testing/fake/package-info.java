/**
 * A fake ComfyUI server for tests: HTTP and WebSocket on one loopback port, a real queue, scripted execution
 * emitting the messages of the genuine 0.3.64 transcripts in {@code ../shared/comfyui-captures}, and scriptable
 * faults (refused connections, dropped sockets, stalls, 500s, malformed frames, restarts, floods). Independent of
 * the project's own model and connection bundles on purpose, so it cannot share their bugs.
 */
package comfy.workbench.testing.fake;
