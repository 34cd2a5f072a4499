/** The application's own handlers (the model is in Application.e4xmi). */
package comfy.workbench.app;
