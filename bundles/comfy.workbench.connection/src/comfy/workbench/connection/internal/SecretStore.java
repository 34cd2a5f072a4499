package comfy.workbench.connection.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.ComfyJson;

/**
 * The servers' secrets (tokens, passwords, header values), kept apart from the registry file: a JSON object
 * {@code {serverId: {...}}} encrypted with AES-256-GCM, in an owner-only file, under a random key in a second
 * owner-only file. Encryption keeps the secrets out of backups, sync tools and grep results that pick up the
 * data directory without the key; the file permissions keep other local users out.
 */
final class SecretStore {

    private static final byte[] MAGIC = "CWS1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "comfy.workbench.connection.secrets".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path file;
    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();

    SecretStore(Path file, Path keyFile) {
        this.file = file;
        this.keyFile = keyFile;
    }

    Path file() {
        return file;
    }

    Path keyFile() {
        return keyFile;
    }

    /** All stored secrets; empty when none were stored yet. */
    Map<String, JsonObject> load() throws IOException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        if (!Files.exists(keyFile)) {
            throw new IOException("the secrets in " + file + " cannot be read: their key " + keyFile + " is missing");
        }
        byte[] data = Files.readAllBytes(file);
        if (data.length < MAGIC.length + IV_BYTES || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IOException(file + " is not a secrets file of this program");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(false),
                    new GCMParameterSpec(TAG_BITS, data, MAGIC.length, IV_BYTES));
            cipher.updateAAD(AAD);
            plain = cipher.doFinal(data, MAGIC.length + IV_BYTES, data.length - MAGIC.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IOException("the secrets in " + file + " cannot be decrypted (wrong key or damaged file)", e);
        }
        Map<String, JsonObject> result = new LinkedHashMap<>();
        try {
            JsonObject all = ComfyJson.parseObject(new String(plain, StandardCharsets.UTF_8), "secrets");
            for (Map.Entry<String, JsonElement> e : all.entrySet()) {
                if (e.getValue().isJsonObject()) {
                    result.put(e.getKey(), e.getValue().getAsJsonObject());
                }
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return result;
    }

    /** Replaces all stored secrets. */
    void save(Map<String, JsonObject> secrets) throws IOException {
        JsonObject all = new JsonObject();
        secrets.forEach(all::add);
        byte[] plain = ComfyJson.write(all).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(true), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(plain);
            PrivateFiles.write(file, ByteBuffer.allocate(MAGIC.length + IV_BYTES + sealed.length).put(MAGIC).put(iv)
                    .put(sealed).array(), true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the secrets: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private SecretKeySpec key(boolean create) throws IOException {
        if (!Files.exists(keyFile)) {
            if (!create) {
                throw new IOException("key file " + keyFile + " is missing");
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            PrivateFiles.write(keyFile, key, true);
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != 32) {
            throw new IOException("key file " + keyFile + " is damaged");
        }
        return new SecretKeySpec(key, "AES");
    }
}
