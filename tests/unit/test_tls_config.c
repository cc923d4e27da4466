/* tests/unit/test_tls_config.c: TLS configurations (tls/tls_config.c):
 * chains and keys from PEM (SEC1, PKCS#8, RSA), each malformed or
 * mismatched input refused with its own line, trust anchors, ALPN lists,
 * SNI names and wildcard matching, the role checks, and BearSSL's error
 * codes as text. The certificates and keys are throw-away ones made with
 * openssl for this test. */
#include <string.h>

#include <riad/tls.h>

#include "check.h"
#include "../../tls/tls_internal.h"

static const char EC_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfzCCASWgAwIBAgIUcv90b8LJAbFJidrrYjGjgqhlmNIwCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJZnV6ei50ZXN0MCAXDTI2MTIwNzA0NTkxNloYDzIxMjYxMTEz\n"
	"MDQ1OTE2WjAUMRIwEAYDVQQDDAlmdXp6LnRlc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAARDm4PiKlKaoV8hPTzSrBzR5DgSObNyMZ9vLswIidiUL/y0Gdbwrvqc\n"
	"sDUkNvv2x3f/BZNwzVsX4jQk3sss52umo1MwUTAdBgNVHQ4EFgQU7LQ3zmsgNDYL\n"
	"osjadUWSvKGPu7kwHwYDVR0jBBgwFoAU7LQ3zmsgNDYLosjadUWSvKGPu7kwDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAu1ISly2mYexhbYnWJJmg\n"
	"yRtq6y47uoDi+zrpRyPSfv8CIAeDc0Dd8tRdsFDOcUZdRDb+mplhwsCeyaNKFC+o\n"
	"bIN7\n"
	"-----END CERTIFICATE-----\n"
;
static const char EC_KEY[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIJNLSRc9u4geaFtSdGFO9ojBYCdHDuz7Hqoa24hSkNUloAoGCCqGSM49\n"
	"AwEHoUQDQgAEQ5uD4ipSmqFfIT080qwc0eQ4EjmzcjGfby7MCInYlC/8tBnW8K76\n"
	"nLA1JDb79sd3/wWTcM1bF+I0JN7LLOdrpg==\n"
	"-----END EC PRIVATE KEY-----\n"
;
static const char EC_KEY_P8[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgk0tJFz27iB5oW1J0\n"
	"YU72iMFgJ0cO7PseqhrbiFKQ1SWhRANCAARDm4PiKlKaoV8hPTzSrBzR5DgSObNy\n"
	"MZ9vLswIidiUL/y0GdbwrvqcsDUkNvv2x3f/BZNwzVsX4jQk3sss52um\n"
	"-----END PRIVATE KEY-----\n"
;
static const char EC_KEY_OTHER[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIJU0AFJYNVhL6q4sYtbLSNAvL9XEyGlSi2cXqwMaAIo0oAoGCCqGSM49\n"
	"AwEHoUQDQgAEqFd4zdg6Uf+5xkw2nWd94TZPxTLLRpRMV5XqvpdmcsMxjEfpdl66\n"
	"F+QehpoDVrxtBvhOvqQF/SR032SFirQN1Q==\n"
	"-----END EC PRIVATE KEY-----\n"
;
static const char RSA_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDAzCCAeugAwIBAgIUK+QJpohvYq9dkm+dEO36mYBHB2kwDQYJKoZIhvcNAQEL\n"
	"BQAwEDEOMAwGA1UEAwwFdS1yc2EwIBcNMjYxMjA3MDUwNDI3WhgPMjEyNjExMTMw\n"
	"NTA0MjdaMBAxDjAMBgNVBAMMBXUtcnNhMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n"
	"MIIBCgKCAQEAqoJz1LvZwL7L8dJ0tKTxcdH+pBgsCUV12hs0hERWU/8sKTDQNxok\n"
	"tE0I57PgqRytfrH0b8HhekhBmr/2UrZWKbMCOLaCb9g4c/IUHebad8ODnfFpOBVn\n"
	"Es6DHuEuiQ962ImyjnWXmcgUAjckIAMDZciAerSZkgoVDwUYSS8ZdW8M7QbeFeGp\n"
	"RmWcdeS5VCOvsT1izFJKjygkdByWFxJpVjVmJipgNOGVx8z027jpu0eB9V8fIfq3\n"
	"Qfgpk5v04/XEMbWm83l/Lt6NZNrGM59G++F519cXkNwnlWkzCcgicxbH3JdKx+RP\n"
	"S7esTB66LAKPQ1ezBsWMJQHq9BPgOuiQmQIDAQABo1MwUTAdBgNVHQ4EFgQU96ay\n"
	"ZBE4iNYA+UMTF5Q3vXAevzswHwYDVR0jBBgwFoAU96ayZBE4iNYA+UMTF5Q3vXAe\n"
	"vzswDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAguPhMpS3frrH\n"
	"YdeQQF5qb9m1LtxvTDeZcHmDI9ULP3VUlPR9NuaBzHz/xAo0LcpIBbgZdsv3fs2J\n"
	"khlYfuzHNZx5vkyI3/nhefKa5xIVGESiVGt/M6MskzXjhqpNl3YUCMQAkxqyf2k+\n"
	"+KI4K6nNdbLpY5cJE1R3NyzsFcWt0Or6jhgUY46mPbusUmvypeQuk473G9lsYcBs\n"
	"dAFU0E9tymR9JM7SDx0Oc110mTy3XK9lCHtCXoY7n2qPcPskwJHdemLs0nTlQtXn\n"
	"f8hejL5pukTrwLPRlRjHtgMN4M2OfQDWoIwaPizmFnUpGqDJA8Y4rDvm1XWa8z2f\n"
	"jyP7/kGExA==\n"
	"-----END CERTIFICATE-----\n"
;
static const char RSA_KEY[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCqgnPUu9nAvsvx\n"
	"0nS0pPFx0f6kGCwJRXXaGzSERFZT/ywpMNA3GiS0TQjns+CpHK1+sfRvweF6SEGa\n"
	"v/ZStlYpswI4toJv2Dhz8hQd5tp3w4Od8Wk4FWcSzoMe4S6JD3rYibKOdZeZyBQC\n"
	"NyQgAwNlyIB6tJmSChUPBRhJLxl1bwztBt4V4alGZZx15LlUI6+xPWLMUkqPKCR0\n"
	"HJYXEmlWNWYmKmA04ZXHzPTbuOm7R4H1Xx8h+rdB+CmTm/Tj9cQxtabzeX8u3o1k\n"
	"2sYzn0b74XnX1xeQ3CeVaTMJyCJzFsfcl0rH5E9Lt6xMHrosAo9DV7MGxYwlAer0\n"
	"E+A66JCZAgMBAAECggEAJrm3Hf9GHvEWd8cxK1/02EF14IX+5mIouI8KN+ofYzdm\n"
	"q7pC5+jfojWGyrz/TtlNDCPVnNY/ZBrqD3/+rV1tJ05ZOFE3QbitZaP67qmiP6Yf\n"
	"i+0q1QqDXPGbNRW2kHl8EJcBfzp04n/fD3u/kCevC1xk1bmT0WfJzZ3+HIz+br2Z\n"
	"E0UoCOBWe2G9qRzdNpbtPrjlzl6b8uBMxA4WSA4K5LeE9nbA+aKH8jmcnL9wrOpe\n"
	"l9ddhO24qeELAb4kieoJeBTmI0LPueBNpe+joLl5JLRda04b7B6Q/zDOZVnq7bPv\n"
	"MhgKOCJbUSOkwRgtcrsdR6B5FrUxBIZt1KoUUiyNqwKBgQDogpilafqak6byeq0e\n"
	"Gfy8tGhERecMaQx6LE/ZUUmtmH1+7gzz+pCbv3ES9/MtW7EcnlT4DZu3Qghp9JE9\n"
	"ykI+MXZ//o2OnVEw5OWSNLQ9b11z2DG38/6KRE63hzDOM78wtXjv+5HgmvuGkrU9\n"
	"iI/cp6OFzgTIc6ozTWQWzj8W9wKBgQC7vFZYAfgUD4EZXX4Qwgxlh/QcjRorWboV\n"
	"aFWaH2CTldgAkipq8JVrSvy7LU5mtQgmit6vMC2K2t5wiO4KHGINpfHxD4MniJ3j\n"
	"pXA1wJ8JaIJexNMX5+E3OiVinJlwlLQhxu210kWGeg9H8kYBH+zqEARYtxEj+mn3\n"
	"1ihg6Obg7wKBgQCeeMSJmZ4Q1SoogqyTo6q7A0s9nVdJAiBa9PDHcbwB8bk3VhDG\n"
	"CbWeMfFjuFOqSqCAnPnUx5Gmaf9KGEMWFlDoCtZ1jo308gxwgtJlwD5I0Sqk1mms\n"
	"s0R+AOiV9jKxmFtrW4S+LHzU1U0x/7Q/6GAFSM0PWcewyATtSoY5dQFTKQKBgA+v\n"
	"uPc5kuT6NqtL6JC15htFtNv93kXpBWdshFqQbJ1oU9gYXnr5B0MjzOJG8toaHkg6\n"
	"KkkxGV0U1KlKh7lIjdjeGM0voqHXBHpVBH85TRCYLuyEPa8trN/Ud/M5aojBpBt+\n"
	"Z7Zdj3mhEU3NrJPDeyRDmllfUotTDS+sMUuHqmL5AoGAA3iXxPo/Stojp+QVPwFg\n"
	"O4anyw3F0T68wUgtt7DjUJCdPW0Oz0U3ssEMGN6+9r2eTtrv79xNrJz5/ktmihjv\n"
	"qa+gRh0mV5afmcKvoM9qys0vXHDpDI3fWFVXf3kBHVRn2O9VcmuYETu6CQHc8t/m\n"
	"F2KdN545wxYy1ifawIzdt4E=\n"
	"-----END PRIVATE KEY-----\n"
;
static const char ED_KEY[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIJFR9B6YzxJTqO4HzxyQqDK8VxQNAX2zmPw+YSXpYW7/\n"
	"-----END PRIVATE KEY-----\n"
;

static struct riad_tls_config *server(void)
{
	struct riad_tls_config *cfg = NULL;
	CHECK_INT(riad_tls_config_new(RIAD_TLS_SERVER, &cfg), 0);
	return cfg;
}

#define ADD(cfg, names, cert, key) \
	riad_tls_config_add_chain(cfg, names, cert, strlen(cert), key, strlen(key), why, sizeof(why))

static void test_chains(void)
{
	char why[160];
	struct riad_tls_config *cfg = server();
	REQUIRE(cfg);
	CHECK_INT(ADD(cfg, NULL, EC_CERT, EC_KEY), 0);
	CHECK_INT(ADD(cfg, "fuzz.test", EC_CERT, EC_KEY_P8), 0);
	CHECK_INT(ADD(cfg, "u-rsa.test,*.rsa.test", RSA_CERT, RSA_KEY), 0);
	CHECK_INT(cfg->nchains, 3);
	CHECK_INT(cfg->chains[0].key_type, BR_KEYTYPE_EC);
	CHECK_INT(cfg->chains[2].key_type, BR_KEYTYPE_RSA);
	CHECK_INT(cfg->chains[2].rsa.n_bitlen, 2048);

	/* Certificate and key in one PEM text (key NULL). */
	char both[4096];
	strcpy(both, EC_CERT);
	strcat(both, EC_KEY);
	CHECK_INT(riad_tls_config_add_chain(cfg, "both.test", both, strlen(both), NULL, 0, why,
	                                    sizeof(why)),
	          0);

	/* SNI: names, wildcards, case, the default. */
	CHECK(tls_config_chain(cfg, "u-rsa.test") == &cfg->chains[2]);
	CHECK(tls_config_chain(cfg, "WWW.Rsa.Test") == &cfg->chains[2]);
	CHECK(tls_config_chain(cfg, "rsa.test") == &cfg->chains[0]);
	CHECK(tls_config_chain(cfg, "a.b.rsa.test") == &cfg->chains[0]);
	CHECK(tls_config_chain(cfg, "fuzz.test") == &cfg->chains[1]);
	CHECK(tls_config_chain(cfg, "") == &cfg->chains[0]);
	CHECK(tls_config_chain(cfg, NULL) == &cfg->chains[0]);
	riad_tls_config_free(cfg);
}

static void test_chain_errors(void)
{
	char why[160];
	struct riad_tls_config *cfg = server();
	REQUIRE(cfg);
	CHECK_INT(ADD(cfg, NULL, EC_CERT, EC_KEY_OTHER), -RIAD_EBADMSG);
	CHECK_STR(why, "the private key does not match the certificate");
	CHECK_INT(ADD(cfg, NULL, EC_CERT, RSA_KEY), -RIAD_EBADMSG);
	CHECK_STR(why, "the private key is RSA but the certificate's key is EC");
	CHECK_INT(ADD(cfg, NULL, RSA_CERT, EC_KEY), -RIAD_EBADMSG);
	CHECK_INT(ADD(cfg, NULL, EC_CERT, ED_KEY), -RIAD_EBADMSG);
	CHECK(strstr(why, "the private key does not decode") != NULL);
	CHECK_INT(ADD(cfg, NULL, EC_KEY, EC_KEY), -RIAD_EBADMSG);
	CHECK_STR(why, "no CERTIFICATE in the certificate PEM");
	CHECK_INT(ADD(cfg, NULL, EC_CERT, EC_CERT), -RIAD_EBADMSG);
	CHECK(strstr(why, "no private key") != NULL);
	CHECK_INT(ADD(cfg, NULL, "not PEM at all", EC_KEY), -RIAD_EBADMSG);
	CHECK(strstr(why, "no PEM object") != NULL);
	CHECK_INT(ADD(cfg, NULL, "-----BEGIN CERTIFICATE-----\nMIIB*!!\n-----END CERTIFICATE-----\n",
	              EC_KEY),
	          -RIAD_EBADMSG);
	CHECK(strstr(why, "malformed PEM") != NULL);
	/* Truncated after whole lines: BEGIN without END. */
	char half[2048];
	size_t n = (size_t)(strchr(strchr(EC_CERT, '\n') + 1, '\n') + 1 - EC_CERT);
	memcpy(half, EC_CERT, n);
	half[n] = '\0';
	CHECK_INT(ADD(cfg, NULL, half, EC_KEY), -RIAD_EBADMSG);
	CHECK_STR(why, "PEM object \"CERTIFICATE\" has no END line");
	CHECK_INT(ADD(cfg, "a b", EC_CERT, EC_KEY), -RIAD_EINVAL);
	CHECK_INT(ADD(cfg, "a,,b", EC_CERT, EC_KEY), -RIAD_EINVAL);
	CHECK_INT(ADD(cfg, "a.*.b", EC_CERT, EC_KEY), -RIAD_EINVAL);
	CHECK_INT(ADD(cfg, "", EC_CERT, EC_KEY), -RIAD_EINVAL);
	CHECK_INT(cfg->nchains, 0);
	/* Trust anchors belong to clients; a server without chains cannot
	 * serve. */
	CHECK_INT(riad_tls_config_add_trust(cfg, EC_CERT, strlen(EC_CERT), why, sizeof(why)),
	          -RIAD_EINVAL);
	riad_tls_config_free(cfg);
}

static void test_limits(void)
{
	char why[160];
	struct riad_tls_config *cfg = server();
	REQUIRE(cfg);
	for (int i = 0; i < RIAD_TLS_CHAINS_MAX; i++)
		CHECK_INT(ADD(cfg, "x.test", EC_CERT, EC_KEY), 0);
	CHECK_INT(ADD(cfg, "x.test", EC_CERT, EC_KEY), -RIAD_ENOSPC);
	riad_tls_config_free(cfg);
}

static void test_trust(void)
{
	char why[160];
	struct riad_tls_config *cfg = NULL;
	REQUIRE(riad_tls_config_new(RIAD_TLS_CLIENT, &cfg) == 0);
	char two[4096];
	strcpy(two, EC_CERT);
	strcat(two, RSA_CERT);
	CHECK_INT(riad_tls_config_add_trust(cfg, two, strlen(two), why, sizeof(why)), 0);
	CHECK_INT(cfg->nanchors, 2);
	CHECK_INT(cfg->anchors[0].pkey.key_type, BR_KEYTYPE_EC);
	CHECK_INT(cfg->anchors[1].pkey.key_type, BR_KEYTYPE_RSA);
	CHECK(cfg->anchors[0].dn.len > 0);
	CHECK_INT(riad_tls_config_add_trust(cfg, EC_KEY, strlen(EC_KEY), why, sizeof(why)),
	          -RIAD_EBADMSG);
	CHECK_INT(ADD(cfg, NULL, EC_CERT, EC_KEY), -RIAD_EINVAL);
	CHECK_INT(riad_tls_config_set_session_cache(cfg, 100), -RIAD_EINVAL);
	riad_tls_config_free(cfg);
	CHECK_INT(riad_tls_config_new((enum riad_tls_role)7, &cfg), -RIAD_EINVAL);
}

static void test_alpn(void)
{
	struct riad_tls_config *cfg = server();
	REQUIRE(cfg);
	CHECK_INT(riad_tls_config_set_alpn(cfg, "h2,http/1.1"), 0);
	CHECK_INT(cfg->nalpn, 2);
	CHECK_STR(cfg->alpn[0], "h2");
	CHECK_STR(cfg->alpn[1], "http/1.1");
	CHECK_INT(riad_tls_config_set_alpn(cfg, "h2,,x"), -RIAD_EINVAL);
	CHECK_INT(riad_tls_config_set_alpn(cfg, ""), -RIAD_EINVAL);
	CHECK_INT(riad_tls_config_set_alpn(cfg, "a,b,c,d,e,f,g,h,i"), -RIAD_ENOSPC);
	CHECK_INT(cfg->nalpn, 2); /* unchanged by the failures */
	riad_tls_config_free(cfg);
}

static void test_names(void)
{
	CHECK(tls_name_match("a.test", 6, "a.test"));
	CHECK(tls_name_match("a.test", 6, "A.TEST"));
	CHECK(!tls_name_match("a.test", 6, "b.test"));
	CHECK(!tls_name_match("a.test", 6, "a.test."));
	CHECK(tls_name_match("*.a.test", 8, "x.a.test"));
	CHECK(!tls_name_match("*.a.test", 8, "a.test"));
	CHECK(!tls_name_match("*.a.test", 8, ".a.test"));
	CHECK(!tls_name_match("*.a.test", 8, "y.x.a.test"));
	/* A pattern as the chain's list holds it: length bounds it. */
	CHECK(tls_name_match("a.test,b.test", 6, "a.test"));
}

static void test_strerror(void)
{
	CHECK_STR(riad_tls_strerror(BR_ERR_X509_EXPIRED), "certificate expired or not yet valid");
	CHECK_STR(riad_tls_strerror(BR_ERR_X509_BAD_SERVER_NAME),
	          "server name does not match the certificate");
	CHECK_STR(riad_tls_strerror(BR_ERR_X509_NOT_TRUSTED),
	          "certificate chain: unknown issuer (no trust anchor)");
	CHECK_STR(riad_tls_strerror(BR_ERR_SEND_FATAL_ALERT + 40),
	          "sent fatal alert 40 (handshake_failure)");
	CHECK_STR(riad_tls_strerror(BR_ERR_RECV_FATAL_ALERT + 112),
	          "peer sent fatal alert 112 (unrecognized_name)");
	CHECK_STR(riad_tls_strerror(BR_ERR_RECV_FATAL_ALERT + 7),
	          "peer sent fatal alert 7 (unknown alert)");
	CHECK_STR(riad_tls_strerror(12345), "unknown TLS error");
}

int main(void)
{
	RUN(test_chains);
	RUN(test_chain_errors);
	RUN(test_limits);
	RUN(test_trust);
	RUN(test_alpn);
	RUN(test_names);
	RUN(test_strerror);
	return check_done();
}
