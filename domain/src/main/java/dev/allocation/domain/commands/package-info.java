/** Commands: what users and other systems ask the allocation service to do. */
package dev.allocation.domain.commands;
