/**
 * The Jobs view: every job of the client-side queue with its state, priority, server, attempts and outcome, kept
 * up to date from the queue's events; cancels jobs, pauses and resumes the queue and changes a waiting job's
 * priority. Contributed to the workbench through the bundle's {@code fragment.e4xmi}; nothing here is API.
 */
package comfy.workbench.ui.queue.internal;
