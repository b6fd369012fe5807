package org.falab.gateway;

import org.falab.contracts.auth.Claims;
import org.falab.localstack.LocalAuth;
import org.falab.localstack.LocalAuthResource;
import org.falab.localstack.LocalStackResource;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The gateway's ITs speak as {@link #USER}, a researcher of the default project, with a token of the stack's
 * {@link org.falab.localstack.LocalAuth}: {@code import static org.falab.gateway.Auth.given} in place of REST
 * Assured's. Tests of who may do what mint their own tokens ({@code LocalStackResource.auth()}).
 */
public final class Auth {

    public static final String USER = "it-researcher";

    private Auth() {
    }

    /** A bearer token of {@link #USER}, of the running LocalStackResource or LocalAuthResource. */
    public static String token() {
        LocalAuth alone = LocalAuthResource.auth();
        return (alone != null ? alone : LocalStackResource.auth()).token(USER, Claims.RESEARCHER);
    }

    /** REST Assured's {@code given()} with {@link #USER}'s token. */
    public static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(token());
    }

    /** REST Assured's {@code given()} with this token. */
    public static RequestSpecification given(String token) {
        return RestAssured.given().auth().oauth2(token);
    }
}
