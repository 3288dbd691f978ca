package dev.cairn.s3.iam;

/** A policy embedded in one user (PutUserPolicy): its name as given and its JSON document. */
public record InlinePolicy(String name, String document) {
}
