/**
 * Every route module, in one list: registering another module (e.g. Microsoft sign-in) is one line.
 */
import { authRoutes } from './auth';
import { microsoftAuthRoutes } from '../auth/microsoft/route';
import { catalogRoutes } from './catalog';
import { pageRoutes } from './pages';
import { userRoutes } from './users';
import type { RouteModule } from './http';

/** The platform's route modules, registered in this order by `buildApp`. */
export const routeModules: RouteModule[] = [authRoutes, microsoftAuthRoutes, userRoutes, catalogRoutes, pageRoutes];
