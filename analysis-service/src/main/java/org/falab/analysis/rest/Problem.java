package org.falab.analysis.rest;

/** RFC 9457 problem details, served as {@value #MEDIA_TYPE}. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
