/** The template services: {@link comfy.workbench.templates.internal.DefaultTemplateService} and the library on the workflow library's storage. */
package comfy.workbench.templates.internal;
