/** The queue's engine, store and output download, and its DS component. */
package comfy.workbench.queue.internal;
