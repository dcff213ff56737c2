/** What the tests of this module and of the service share about Redis: the local server and a client of their own. */
package dev.allocation.adapters.redis.testing;
