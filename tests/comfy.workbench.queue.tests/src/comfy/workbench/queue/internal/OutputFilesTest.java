package comfy.workbench.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.FileRef;
import comfy.workbench.connection.api.ViewRequest;
import comfy.workbench.connection.api.ViewResult;

/** Output files from a hostile server: names that climb out, absolute paths, huge names, collisions, cut bodies. */
class OutputFilesTest {

    @TempDir
    Path root;

    /** A client whose {@code view} writes the file name as content, or fails half-way for names containing "cut". */
    private static ComfyClient client() {
        return (ComfyClient) Proxy.newProxyInstance(OutputFilesTest.class.getClassLoader(),
                new Class<?>[] { ComfyClient.class }, (proxy, method, args) -> {
                    if (method.getName().equals("view") && args[1] instanceof OutputStream out) {
                        String name = ((ViewRequest) args[0]).file().filename();
                        out.write(name.getBytes(StandardCharsets.UTF_8));
                        if (name.contains("cut")) {
                            throw new ComfyException(ComfyException.Kind.CONNECTION_LOST, "hostile", "GET /view",
                                    "the body ended after 4 of 1000 bytes (Content-Length)", null);
                        }
                        return new ViewResult(name.length(), "image/png");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void hostileNamesAreSavedInsideTheFolderUnderSafeNames() throws Exception {
        Path folder = root.resolve("out/job");
        String longName = "a".repeat(10_000) + ".png";
        List<FileRef> files = List.of(new FileRef("../../x.png", "", "output"), new FileRef("/etc/passwd", "", "output"),
                new FileRef("..\\..\\win.png", "", "output"), new FileRef(longName, "", "output"),
                new FileRef("same.png", "", "output"), new FileRef("same.png", "", "output"),
                new FileRef("..", "", "output"), new FileRef("con\u0000trol\n.png", "", "output"));
        List<Path> saved = OutputFiles.download(client(), "hostile", "p1", files, folder, DownloadedOutputs.NONE);
        assertEquals(8, saved.size());
        for (Path p : saved) {
            assertEquals(folder, p.getParent(), p.toString());
            assertTrue(p.getFileName().toString().length() <= OutputFiles.MAX_NAME);
        }
        assertEquals(List.of("x.png", "passwd", "win.png", "a".repeat(OutputFiles.MAX_NAME - 4) + ".png", "same.png",
                "same (2).png", "output", "con_trol_.png"), saved.stream().map(p -> p.getFileName().toString()).toList());
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(8, all.filter(Files::isRegularFile).count(), "nothing was written anywhere else");
        }
        assertEquals("../../x.png", Files.readString(saved.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void theServersSubfoldersAreKeptInsideTheFolderAndPreviewsGoApart() throws Exception {
        // a workflow saving shots/sh010/beauty and shots/sh020/beauty: one folder of "beauty (2)" names before
        Path folder = root.resolve("out/job");
        List<FileRef> files = List.of(new FileRef("beauty_00001_.png", "shots/sh010", "output"),
                new FileRef("beauty_00001_.png", "shots/sh020", "output"),
                new FileRef("ComfyUI_temp_abc_00001_.png", "", "temp"),
                new FileRef("climb.png", "../../..", "output"), new FileRef("abs.png", "/etc/cron.d", "output"),
                new FileRef("mixed.png", "a/../../b\\c", "output"),
                new FileRef("deep.png", "1/2/3/4/5/6/7/8/9/10", "output"));
        List<Path> saved = OutputFiles.download(client(), "hostile", "p1", files, folder, DownloadedOutputs.NONE);
        assertEquals(List.of("shots/sh010/beauty_00001_.png", "shots/sh020/beauty_00001_.png",
                "temp/ComfyUI_temp_abc_00001_.png", "climb.png", "etc/cron.d/abs.png", "a/b/c/mixed.png",
                "1/2/3/4/5/6/7/8/deep.png"), saved.stream().map(p -> folder.relativize(p).toString()).toList());
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(7, all.filter(Files::isRegularFile).peek(p -> assertTrue(p.startsWith(folder), p.toString()))
                    .count(), "nothing was written anywhere else");
        }

        // an attempt again: the earlier attempt's files in subfolders go too
        OutputFiles.download(client(), "hostile", "p1", List.of(new FileRef("only.png", "", "output")), folder,
                DownloadedOutputs.NONE);
        try (Stream<Path> all = Files.walk(folder)) {
            assertEquals(List.of("only.png"), all.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString()).toList());
        }
    }

    @Test
    void aCutDownloadFailsClearlyAndLeavesNoPartialFile() throws Exception {
        Path folder = root.resolve("job");
        ComfyException e = assertThrows(ComfyException.class, () -> OutputFiles.download(client(), "hostile", "p1",
                List.of(new FileRef("fine.png", "", "output"), new FileRef("cut.png", "", "output")), folder,
                DownloadedOutputs.NONE));
        assertTrue(e.getMessage().contains("Content-Length"), e.getMessage());
        try (Stream<Path> all = Files.list(folder)) {
            assertEquals(List.of("fine.png"), all.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anEarlierAttemptsFilesAreReplacedAndANewFolderIsCreatedWithItsParents() throws Exception {
        Path again = root.resolve("2026-11-29/job-a");
        Files.createDirectories(again);
        Files.writeString(again.resolve(".fine.png.part"), "cut off by a crash");
        Files.writeString(again.resolve("fine.png"), "an earlier attempt's");
        OutputFiles.download(client(), "hostile", "p1", List.of(new FileRef("fine.png", "", "output")), again,
                DownloadedOutputs.NONE);
        try (Stream<Path> all = Files.list(again)) {
            assertEquals(List.of("fine.png"), all.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("fine.png", Files.readString(again.resolve("fine.png")));

        Path fresh = root.resolve("batch-b/nested/job-b");
        OutputFiles.download(client(), "hostile", "p2", List.of(new FileRef("new.png", "", "output")), fresh,
                DownloadedOutputs.NONE);
        assertEquals("new.png", Files.readString(fresh.resolve("new.png")));
    }

    @Test
    void filesAreFoundInEveryKindOfOutput() {
        Map<String, com.google.gson.JsonObject> outputs = Map.of("9", JsonParser.parseString("""
                {"images": [{"filename": "a.png", "subfolder": "", "type": "output"}],
                 "gifs": [{"filename": "b.webp", "subfolder": "anim", "type": "output"}],
                 "animated": [true], "text": ["hello"], "audio": [{"filename": "c.flac", "type": "temp"}]}
                """).getAsJsonObject());
        assertEquals(List.of(new FileRef("a.png", "", "output"), new FileRef("b.webp", "anim", "output"),
                new FileRef("c.flac", "", "temp")), OutputFiles.files(outputs));
    }
}
